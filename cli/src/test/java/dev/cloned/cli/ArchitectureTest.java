package dev.cloned.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies point one way: cli -> gateway -> runtime -> rules -> graph; technology stays in its layer. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cloned");
    }

    @Test
    void should_keep_graph_free_of_rules_runtime_and_above() {
        noClasses().that().resideInAPackage("dev.cloned.graph..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cloned.rules..", "dev.cloned.runtime..",
                "dev.cloned.gateway..", "dev.cloned.cli..", "org.kie..", "org.drools..", "io.vertx..")
            .check(classes);
    }

    @Test
    void should_keep_rules_free_of_runtime_gateway_and_vertx() {
        noClasses().that().resideInAPackage("dev.cloned.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cloned.runtime..", "dev.cloned.gateway..",
                "dev.cloned.cli..", "io.vertx..", "java.sql..")
            .check(classes);
    }

    @Test
    void should_keep_runtime_free_of_gateway_cli_and_drools() {
        noClasses().that().resideInAPackage("dev.cloned.runtime..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cloned.gateway..", "dev.cloned.cli..",
                "org.kie..", "org.drools..", "io.vertx.ext.web..")
            .check(classes);
    }

    @Test
    void should_keep_kie_types_inside_the_rules_engine_packages() {
        noClasses().that().resideOutsideOfPackages("dev.cloned.rules.drools..", "dev.cloned.rules.fact..",
                "dev.cloned.rules.blueprint..")
            .should().dependOnClassesThat().resideInAnyPackage("org.kie..", "org.drools..")
            .check(classes);
    }

    @Test
    void should_keep_the_gateway_free_of_the_cli() {
        noClasses().that().resideInAPackage("dev.cloned.gateway..")
            .should().dependOnClassesThat().resideInAPackage("dev.cloned.cli..")
            .check(classes);
    }
}
