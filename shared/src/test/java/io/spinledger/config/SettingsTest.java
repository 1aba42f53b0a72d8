package io.spinledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings load(Map<String, String> env) {
        return Settings.load(env::get);
    }

    @Test
    void theMediaBucketDefaultsToTheBuiltInName() {
        assertThat(load(Map.of()).storage().mediaBucket()).isEqualTo(BucketName.DEFAULT_MEDIA)
                .isEqualTo("spinledger-media");
        assertThat(load(Map.of("SPINLEDGER_MEDIA_BUCKET", "  ")).storage().mediaBucket())
                .isEqualTo(BucketName.DEFAULT_MEDIA);
    }

    @Test
    void theMediaBucketIsTheConfiguredName() {
        Settings s = load(Map.of("SPINLEDGER_MEDIA_BUCKET", " spinledger-media-123456789012-eu-west-1 "));
        assertThat(s.storage().mediaBucket()).isEqualTo("spinledger-media-123456789012-eu-west-1");
    }

    @Test
    void aNameS3WouldRefuseIsRejectedNamingTheVariable() {
        for (String bad : new String[] {"Spinledger-Media", "sl", "media_bucket", "-media", "media-", "a..b",
                "x".repeat(64)}) {
            assertThatThrownBy(() -> load(Map.of("SPINLEDGER_MEDIA_BUCKET", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SPINLEDGER_MEDIA_BUCKET").hasMessageContaining(bad);
        }
        assertThat(load(Map.of("SPINLEDGER_MEDIA_BUCKET", "abc")).storage().mediaBucket()).isEqualTo("abc");
        assertThat(load(Map.of("SPINLEDGER_MEDIA_BUCKET", "x".repeat(63))).storage().mediaBucket()).hasSize(63);
    }
}
