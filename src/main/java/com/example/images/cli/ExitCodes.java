package com.example.images.cli;

/** The process exit codes of every subcommand. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Something failed while running: the database, the disk, the network. */
    public static final int FAILED = 1;
    /** The command line or the environment was wrong. */
    public static final int USAGE = 2;
    /** The database holds data that the command refuses to touch. */
    public static final int REFUSED = 3;

    private ExitCodes() {
    }
}
