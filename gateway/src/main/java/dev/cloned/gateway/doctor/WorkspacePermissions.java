package dev.cloned.gateway.doctor;

import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code workspace.permissions}: {@code .cloned/} holds the state store (approvals with their payloads, device
 * registrations), the audit log, the redaction salt and, with the dev provider, secrets; none of it is for other
 * users. What keeps them out is the directory: while it is open to its owner only, nothing inside can be reached
 * (files an editor saved with the usual 0644 included), so the check passes. When the directory lets the group or
 * everyone in, it lists the directory and every file they could then read or write: a failure when everyone can, a
 * warning when only the group can. The fix closes the directory and takes those bits away from the files too (the
 * owner's stay as they are); symbolic links are neither followed nor changed.
 */
final class WorkspacePermissions {
    static final String NAME = "workspace.permissions";
    private static final Set<PosixFilePermission> GROUP = EnumSet.of(PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int SHOWN = 5;

    private WorkspacePermissions() {
    }

    private record Open(Path path, Set<PosixFilePermission> perms) {
    }

    static DoctorCheck check(Path dir) {
        if (!AtomicFiles.posix()) {
            return DoctorCheck.ok(NAME, "not a POSIX file system: permissions are the platform's (ACLs), not checked");
        }
        Set<PosixFilePermission> dirPerms = perms(dir);
        boolean group = dirPerms.stream().anyMatch(GROUP::contains);
        boolean others = dirPerms.stream().anyMatch(OTHERS::contains);
        if (!group && !others) {
            return DoctorCheck.ok(NAME, dir + " is open to its owner only");
        }
        List<Open> open = find(dir, group, others);
        List<String> shown = new ArrayList<>();
        for (Open o : open.subList(0, Math.min(SHOWN, open.size()))) {
            Path rel = dir.relativize(o.path());
            shown.add((rel.toString().isEmpty() ? dir.getFileName() + "/" : rel.toString()) + " ("
                + PosixFilePermissions.toString(o.perms()) + ")");
        }
        String detail = open.size() + " path(s) open to " + (others ? "other users" : "the group") + ": "
            + String.join(", ", shown) + (open.size() > SHOWN ? ", ..." : "");
        String hint = "`cloned doctor --fix` takes group and other permissions away (or chmod go-rwx them)";
        DoctorCheck.Fix fix = new DoctorCheck.Fix("take group and other permissions away from " + open.size()
            + " path(s) in " + dir, () -> restrict(open));
        return others ? DoctorCheck.fail(NAME, detail, hint).withFix(fix) : DoctorCheck.warn(NAME, detail, hint).withFix(fix);
    }

    /** The directory, then every regular file under it with a group or other bit for those the directory lets in. */
    private static List<Open> find(Path dir, boolean group, boolean others) {
        List<Open> open = new ArrayList<>();
        open.add(new Open(dir, perms(dir)));
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                Set<PosixFilePermission> perms = perms(p);
                if (group && perms.stream().anyMatch(GROUP::contains) || others && perms.stream().anyMatch(OTHERS::contains)) {
                    open.add(new Open(p, perms));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return open;
    }

    private static Set<PosixFilePermission> perms(Path p) {
        try {
            return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + p, e);
        }
    }

    private static void restrict(List<Open> open) {
        for (Open o : open) {
            Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
            owner.addAll(o.perms());
            owner.removeAll(GROUP);
            owner.removeAll(OTHERS);
            try {
                Files.setPosixFilePermissions(o.path(), owner);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot change the permissions of " + o.path(), e);
            }
        }
    }
}
