package io.spinledger.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.FunctionCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-deployment facts the cost model keeps in code agree with the SAM template. */
class TemplateFactsTest {
    private static String template() throws Exception {
        Path p = Path.of("..", "infra", "sam", "template.yaml");
        assertThat(p).exists();
        return Files.readString(p);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void alarmsAndSecrets() throws Exception {
        String t = template();
        assertThat(count(t, "^\\s+Type: AWS::CloudWatch::Alarm\\s*$")).isEqualTo(CostModel.ALARMS);
        assertThat(count(t, "^\\s+Type: AWS::SecretsManager::Secret\\s*$")).isEqualTo(CostModel.SECRETS);
    }

    @Test
    void everyScheduleFiresOnceAMinute() throws Exception {
        String t = template();
        long scheduled = FunctionCatalogue.ALL.stream()
                .filter(f -> f.trigger() == FunctionCatalogue.Trigger.SCHEDULE).count();
        assertThat(count(t, "^\\s+Schedule: rate\\(1 minute\\)\\s*$")).isEqualTo((int) scheduled);
        assertThat(count(t, "^\\s+Schedule: ")).isEqualTo((int) scheduled);
        assertThat(CostModel.AWS_SCHEDULE_SECONDS).isEqualTo(60);
    }
}
