package io.spinledger.functions.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.Settings;
import io.spinledger.ports.ObjectStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

class CoreConfigurationTest {

    /** An S3 client that records the bucket of every put and delete (the builder overloads run as the SDK's do). */
    private static S3Client recording(List<String> buckets) {
        InvocationHandler h = (proxy, method, args) -> {
            if (args != null && args.length == 2 && args[0] instanceof PutObjectRequest put
                    && args[1] instanceof RequestBody) {
                buckets.add(put.bucket());
                return PutObjectResponse.builder().build();
            }
            if (args != null && args.length == 1 && args[0] instanceof DeleteObjectRequest delete) {
                buckets.add(delete.bucket());
                return DeleteObjectResponse.builder().build();
            }
            if (method.isDefault() && args != null && args[0] instanceof java.util.function.Consumer) {
                return InvocationHandler.invokeDefault(proxy, method, args); // builds the request, calls the above
            }
            throw new UnsupportedOperationException(method.toString());
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    }

    @Test
    void theObjectStoreUsesTheConfiguredMediaBucket() {
        List<String> buckets = new ArrayList<>();
        Settings settings = Settings.load(Map.of("SPINLEDGER_MEDIA_BUCKET", "spinledger-media-123456789012-eu-west-1")::get);
        ObjectStore objects = new CoreConfiguration().objectStore(recording(buckets), settings);
        objects.put("chunks/x/1.wav", new byte[] {1}, "audio/wav");
        objects.delete("chunks/x/1.wav");
        assertThat(buckets).containsExactly("spinledger-media-123456789012-eu-west-1",
                "spinledger-media-123456789012-eu-west-1");
    }

    @Test
    void withoutTheSettingItIsTheDefaultBucket() {
        List<String> buckets = new ArrayList<>();
        new CoreConfiguration().objectStore(recording(buckets), Settings.load(Map.<String, String>of()::get))
                .put("index/x", new byte[] {1}, "application/octet-stream");
        assertThat(buckets).containsExactly("spinledger-media");
    }
}
