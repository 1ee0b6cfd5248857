package dev.cloned.rules.blueprint;

import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/** Tells the ledger which rule is about to fire, so its entries carry the rule's name. */
final class LedgerListener extends DefaultAgendaEventListener {
    private final SelectionLedger ledger;

    LedgerListener(SelectionLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        ledger.enter(event.getMatch().getRule().getName());
    }
}
