package io.spinledger.cli;

import io.spinledger.cli.bench.BenchCommand;
import io.spinledger.cli.cost.CostCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spinledger}: the fingerprint engine for people who work in a terminal. Subcommands:
 * {@code index} (a folder of audio, with a progress bar), {@code identify} (a clip), {@code scan}
 * (an air-check file to plays as JSON or CSV), {@code bench} (the engine's benchmark report) and {@code cost}
 * (the monthly AWS cost per station, from a metering snapshot of a run).
 */
@Command(name = "spinledger", mixinStandardHelpOptions = true, version = "spinledger 0.1.0",
        subcommands = {Commands.Index.class, Commands.Identify.class, Commands.Scan.class, BenchCommand.class,
                CostCommand.class})
public final class SpinLedgerCli {
    SpinLedgerCli() {
    }

    /** Runs a subcommand and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SpinLedgerCli()).execute(args));
    }
}
