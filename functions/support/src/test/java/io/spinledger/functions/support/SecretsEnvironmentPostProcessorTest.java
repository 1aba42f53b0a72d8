package io.spinledger.functions.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretsEnvironmentPostProcessorTest {

    @AfterEach
    void clear() {
        System.clearProperty("ACRCLOUD_ACCESS_KEY");
        System.clearProperty("ACRCLOUD_ACCESS_SECRET");
    }

    @Test
    void secretEntriesBecomeSettings() {
        Map<String, String> store = Map.of("arn:acr",
                "{\"ACRCLOUD_ACCESS_KEY\":\"key-1\",\"ACRCLOUD_ACCESS_SECRET\":\"s3cr3t\"}");
        var names = SecretsEnvironmentPostProcessor.apply(" arn:acr ,", store::get);
        assertThat(names).containsExactly("ACRCLOUD_ACCESS_KEY", "ACRCLOUD_ACCESS_SECRET");
        Settings s = Settings.fromEnvironment();
        assertThat(s.acrcloud().accessKey()).isEqualTo("key-1");
        assertThat(s.acrcloud().enabled()).isTrue();
    }

    @Test
    void rejectsSecretsThatAreNotVariableMaps() {
        assertThatThrownBy(() -> SecretsEnvironmentPostProcessor.apply("a", id -> "plain-password"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret a");
        assertThatThrownBy(() -> SecretsEnvironmentPostProcessor.apply("a", id -> "{\"lower\":\"x\"}"))
                .hasMessageContaining("lower");
    }
}
