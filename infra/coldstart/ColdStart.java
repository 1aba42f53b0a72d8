import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Measures a function's cold start the way Lambda's init phase sees it: a fresh JVM constructs the handler
 * ({@code FunctionInvoker} starts the Spring context in its constructor), then handles one event. Run with the
 * function's shaded jar on the class path and SPRING_CLOUD_FUNCTION_DEFINITION / MAIN_CLASS set (see
 * coldstart.sh). Prints one line: definition, JVM start to handler ready (wall; of which the handler
 * constructor; and the process CPU time so far, which contention on a shared machine does not inflate), first
 * invocation, all in ms. Includes compiling this source file (java's source launcher), a few hundred ms.
 * Usage: java -cp function-x-aws.jar ColdStart.java [event-json | --init-only]
 */
public class ColdStart {
    public static void main(String[] args) throws Exception {
        long jvmStartMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        FunctionInvoker invoker = new FunctionInvoker();
        long ready = System.currentTimeMillis();
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        String event = args.length > 0 ? args[0] : "{\"Records\":[]}";
        if (event.equals("--init-only")) {
            System.out.printf("COLDSTART %s init_ms=%d (handler %d, cpu %d)%n",
                    System.getenv("SPRING_CLOUD_FUNCTION_DEFINITION"), ready - jvmStartMs, ready - t0, cpuMs);
            System.exit(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, (Context) null);
        long done = System.currentTimeMillis();
        System.out.printf("COLDSTART %s init_ms=%d (handler %d, cpu %d) first_call_ms=%d response=%s%n",
                System.getenv("SPRING_CLOUD_FUNCTION_DEFINITION"), ready - jvmStartMs, ready - t0, cpuMs, done - ready,
                out.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }
}
