package org.scalinglab.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;

/**
 * A training run, fully resolved: every key of {@code run-defaults.yaml} has a value. Built only by
 * {@link ConfigLoader}, which validates it; serialised as-is into {@code run.json}.
 */
public record RunConfig(String name, long seed, String device, int threads, DataConfig data, ModelConfig model,
        TrainConfig train) {

    /** Keys added after the first ids were made (JSON pointers), left out of the id while null. */
    private static final List<JsonPointer> ADDED_LATER = List.of(JsonPointer.compile("/train/eval_per_decade"));

    /**
     * The run's identity: a hash of everything that changes its numbers. The name, the device and
     * the thread count are left out, so a run resumed elsewhere, or renamed, keeps its id; so are keys
     * added after ids were first made while they are unset ({@link #ADDED_LATER}), so a run made before
     * them keeps its id too.
     */
    @JsonIgnore
    public String id() {
        ObjectNode tree = Json.mapper().valueToTree(this);
        tree.remove("name");
        tree.remove("device");
        tree.remove("threads");
        for (JsonPointer key : ADDED_LATER) {
            if (tree.at(key).isNull()) {
                ((ObjectNode) tree.at(key.head())).remove(key.last().getMatchingProperty());
            }
        }
        return Hashing.sha256(tree.toString()).substring(0, 12);
    }
}
