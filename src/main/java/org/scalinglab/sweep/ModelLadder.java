package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ModelConfig;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterCounts;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.sweep.SweepConfig.LadderConfig;
import org.scalinglab.sweep.SweepConfig.LadderRule;
import org.scalinglab.sweep.SweepConfig.ShapeSpec;

/**
 * The model shapes a sweep may train, smallest first (by non-embedding parameters, then FLOPs):
 * explicit shapes, or the depth rule (d_model = width_per_layer x depth, heads = d_model / head_dim).
 * Context, the MLP ratio and the attention block come from the base run config unless a shape sets its
 * own ratio.
 */
public record ModelLadder(List<ModelConfig> shapes, int vocab, ShapeFamily.Rule rule) {

    public static ModelLadder of(LadderConfig ladder, int context, int mlpRatio, int attentionBlock, int vocab) {
        List<ModelConfig> shapes = new ArrayList<>();
        ShapeFamily.Rule family = null;
        if (!ladder.shapes().isEmpty()) {
            for (ShapeSpec s : ladder.shapes()) {
                shapes.add(new ModelConfig(context, s.dModel(), s.layers(), s.heads(),
                        s.mlpRatio() == null ? mlpRatio : s.mlpRatio(), attentionBlock));
            }
        } else {
            LadderRule r = ladder.rule();
            family = new ShapeFamily.Rule(r.widthPerLayer(), r.headDim(), mlpRatio);
            for (int i = 0; i < r.depths().size(); i++) {
                int depth = r.depths().get(i);
                int d = r.widthPerLayer() * depth;
                if (d % r.headDim() != 0 && d > r.headDim()) {
                    throw ScalingLabException.config("sweep config key 'ladder.rule.depths[" + i + "]': depth " + depth
                            + " gives d_model " + d + ", which head_dim " + r.headDim() + " does not divide",
                            "choose width_per_layer a multiple of head_dim");
                }
                int heads = Math.max(1, d / r.headDim());
                shapes.add(new ModelConfig(context, d, depth, heads, mlpRatio, attentionBlock));
            }
        }
        List<ModelConfig> distinct = new ArrayList<>();
        for (ModelConfig m : shapes) {
            if (distinct.contains(m)) {
                throw ScalingLabException.config("the ladder lists shape " + GptShape.of(m, vocab).label()
                        + " twice", "remove the duplicate from ladder.shapes or ladder.rule.depths");
            }
            distinct.add(m);
        }
        distinct.sort(Comparator.comparingLong((ModelConfig m) -> params(m, vocab).nonEmbedding())
                .thenComparingLong(m -> params(m, vocab).total()));
        return new ModelLadder(List.copyOf(distinct), vocab, family);
    }

    /** The family these shapes come from, continued beyond them (recorded in sweep.json for the fit). */
    public ShapeFamily family() {
        return new ShapeFamily(vocab, shapes.get(0).context(), rule,
                shapes.stream().map(m -> ShapeFamily.Shape.of(shape(m))).toList());
    }

    public GptShape shape(ModelConfig m) {
        return GptShape.of(m, vocab);
    }

    public long params(ModelConfig m, ParamConvention convention) {
        return params(m, vocab).get(convention);
    }

    static ParameterCounts params(ModelConfig m, int vocab) {
        return ParameterCounts.closedForm(GptShape.of(m, vocab));
    }

    public int size() {
        return shapes.size();
    }
}
