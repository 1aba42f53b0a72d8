package io.spinledger.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spinledger.config.FunctionCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Loads credentials from AWS Secrets Manager before any bean is created, so deployments never carry them in
 * plain environment variables. When {@code SPINLEDGER_SECRET_IDS} ({@link FunctionCatalogue#SECRET_IDS_VARIABLE})
 * lists secret ids or ARNs (comma-separated), each secret's value must be a JSON object of variable names to
 * strings, e.g. {@code {"ACRCLOUD_ACCESS_KEY":"...","ACRCLOUD_ACCESS_SECRET":"..."}}; every entry becomes a system
 * property, which {@link io.spinledger.config.Settings#fromEnvironment()} prefers over the environment. Nothing
 * happens when the variable is unset (local runtime, tests). Under SnapStart this runs in the init phase, so a
 * rotated secret takes effect with the next published version.
 */
public final class SecretsEnvironmentPostProcessor implements EnvironmentPostProcessor {
    private static final Logger log = LoggerFactory.getLogger(SecretsEnvironmentPostProcessor.class);
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String ids = environment.getProperty(FunctionCatalogue.SECRET_IDS_VARIABLE, "");
        if (ids.isBlank()) {
            return;
        }
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            List<String> names = apply(ids, id -> client.getSecretValue(r -> r.secretId(id)).secretString());
            log.info("loaded {} from Secrets Manager", names);
        }
    }

    /**
     * Fetches each secret and sets its entries as system properties.
     *
     * @param ids   comma-separated secret ids
     * @param fetch secret id to its string value
     * @return the variable names set (values are never logged)
     * @throws IllegalStateException when a secret is not a JSON object of upper-case names to strings
     */
    static List<String> apply(String ids, Function<String, String> fetch) {
        List<String> names = new ArrayList<>();
        for (String id : ids.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            JsonNode value;
            try {
                value = JSON.readTree(fetch.apply(id.trim()));
            } catch (Exception e) {
                throw new IllegalStateException("secret " + id.trim() + " is not JSON", e);
            }
            if (value == null || !value.isObject()) {
                throw new IllegalStateException("secret " + id.trim() + " must be a JSON object of variable names");
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                if (!NAME.matcher(e.getKey()).matches() || !e.getValue().isTextual()) {
                    throw new IllegalStateException("secret " + id.trim() + ": entry " + e.getKey()
                            + " must be an upper-case variable name with a string value");
                }
                System.setProperty(e.getKey(), e.getValue().asText());
                names.add(e.getKey());
            }
        }
        return names;
    }
}
