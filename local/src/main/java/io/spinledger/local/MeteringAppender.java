package io.spinledger.local;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import io.spinledger.stats.Metering;

/**
 * A logback appender that writes nothing and counts what its encoder would write: {@code log.bytes} (bytes
 * encoded) and {@code log.events} (lines) in {@link Metering}, the CloudWatch Logs ingestion the same output
 * would cost on AWS, attributed to the function logging on this thread ({@link Metering#addInScope}). Give it the pattern of the appender that really writes (see {@code logback.xml}).
 */
public final class MeteringAppender extends AppenderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> encoder;

    /** Sets the encoder whose output is counted (logback configuration). */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder set for the metering appender " + name);
            return;
        }
        if (!encoder.isStarted()) {
            encoder.start();
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] bytes = encoder.encode(event);
        Metering.addInScope("log.bytes", bytes == null ? 0 : bytes.length);
        Metering.addInScope("log.events", 1);
    }
}
