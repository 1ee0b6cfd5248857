package dev.cloned.gateway.connectors;

/** A connector server that exits at once, as a broken install or a missing runtime would. */
public final class CrashingServer {
    private CrashingServer() {
    }

    public static void main(String[] args) {
        System.exit(3);
    }
}
