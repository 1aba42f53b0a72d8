package io.spinledger.stage.capture;

import io.spinledger.config.QueueName;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.ports.MessagePublisher;
import java.time.Instant;
import java.util.List;

/**
 * The capture stage's scheduling (scheduled): issues one live capture segment per station whose lease runs out
 * (segments overlap: no gaps) or whose capture is dead ({@link CaptureScheduler#deadAfter}), each once even when
 * runs overlap ({@link CaptureScheduler#due}).
 */
public final class CaptureScheduling {
    private final CaptureScheduler scheduler;

    /** @param scheduler decides which stations are due and moves their leases */
    public CaptureScheduling(CaptureScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * One tick.
     *
     * @param now the tick's instant
     * @param out where the capture requests go ({@link QueueName#CAPTURE})
     * @return the capture requests issued
     */
    public List<CaptureRequest> handle(Instant now, MessagePublisher out) {
        List<CaptureRequest> due = scheduler.due(now);
        due.forEach(r -> out.send(QueueName.CAPTURE, r));
        return due;
    }
}
