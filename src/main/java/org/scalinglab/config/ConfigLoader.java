package org.scalinglab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** Resolves a run config: documented defaults, then the file, then {@code --set} overrides; then validates. */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static RunConfig load(Path file, List<String> overrides) {
        ObjectNode user = StrictYaml.readFile(file);
        StrictYaml.requireConfig(user, defaults(), file, "a run config");
        if (!user.has("name")) {
            user.put("name", stem(file));
        }
        return resolve(user, overrides);
    }

    /** Resolves a tree that holds part of a run config (a sweep's base, a test's inline YAML). */
    public static RunConfig resolve(JsonNode partial, List<String> overrides) {
        ObjectNode tree = defaults();
        StrictYaml.merge(tree, partial.deepCopy());
        StrictYaml.applyOverrides(tree, overrides);
        RunConfig config = StrictYaml.bind(tree, RunConfig.class, "");
        ConfigValidator.validate(config);
        return config;
    }

    public static ObjectNode defaults() {
        return StrictYaml.readResource(ConfigLoader.class, "run-defaults.yaml");
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
