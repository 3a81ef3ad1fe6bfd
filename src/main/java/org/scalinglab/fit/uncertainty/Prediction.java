package org.scalinglab.fit.uncertainty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One approach's prediction: at a compute budget C the compute-optimal N and D, their ratio and the loss
 * there; or, for a given N and D, the loss. Fields an approach cannot give are null (approach 1 gives
 * no loss; approaches 1 and 2 give no loss at an arbitrary N and D). {@code ci} holds the bootstrap
 * percentile interval of each given quantity; {@code recommended} marks the fit's recommended law
 * (fits.json's {@code recommended}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"approach", "recommended", "C", "N", "D", "N_opt", "D_opt", "tokens_per_param", "loss", "ci", "note"})
public record Prediction(
        String approach,
        boolean recommended,
        @JsonProperty("C") Double flops,
        @JsonProperty("N") Double params,
        @JsonProperty("D") Double tokens,
        @JsonProperty("N_opt") Double nOpt,
        @JsonProperty("D_opt") Double dOpt,
        Double tokensPerParam,
        Double loss,
        Map<String, double[]> ci,
        String note) {}
