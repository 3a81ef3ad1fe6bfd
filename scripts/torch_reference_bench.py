#!/usr/bin/env python3
"""PyTorch reference benchmark for `scalinglab bench --reference <csv>`.

Trains the GPT of src/main/java/org/scalinglab/model/Gpt.java in plain PyTorch, on the three
reference shapes of src/main/java/org/scalinglab/bench/BenchShape.java, with the optimiser settings
of bench/BenchRunner.java, and writes the CSV that `scalinglab bench --reference` reads (columns
size, prec, compiled, sdpa, tokens_per_s; the others are for people). Needs only torch.

The model, as scalinglab builds it:
  - token embedding plus learned position embedding, vocabulary 256 (bytes);
  - pre-LayerNorm blocks (eps 1e-5): x + attn(ln1(x)), then x + mlp(ln2(x));
  - attention: one qkv linear with bias, q k^T / sqrt(head_dim), additive causal mask, softmax,
    @ v, output projection with bias; MLP: linear (4 d, bias), exact (erf) GELU, linear (bias);
  - final LayerNorm, output head tied to the token embedding, no head bias;
  - GPT-2 init: N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 layers)), biases 0, LN gains 1;
  - loss: mean cross-entropy in float32 (log_softmax with dtype float32, also for fp16 logits).
Training step, as the bench runs it: AdamW (lr 3e-4 constant, betas 0.9/0.999, eps 1e-8, weight
decay 0.01 on the 2-D weights only, embeddings included), global-norm clipping at 1.0, uniformly
random bytes (the bench's Markov source with uniform successors), 5 untimed then 30 timed steps.

Precisions: fp32 (TF32 off); tf32 (float32 matmuls on TF32 tensor cores, CUDA); fp16 (float16
weights and activations, float32 master weights, AdamW and loss, dynamic loss scaling from 2^16,
halving and skipping the step on overflow, as scalinglab's); bf16 (as fp16 without loss scaling;
scalinglab cannot train in bf16, so these rows only count as PyTorch's best).

Variants: `eager` is the "same math" row scalinglab compares with (compiled=False, sdpa=False);
`sdpa` uses F.scaled_dot_product_attention (flash/fused attention), `compile` torch.compile, and
`compile-sdpa` both, for PyTorch's best.

  python3 scripts/torch_reference_bench.py --device cuda --out torch.csv
  python3 scripts/torch_reference_bench.py --device cuda --precisions fp16,bf16 --variants eager,compile-sdpa
  scripts/scalinglab bench --reference torch.csv
  python3 scripts/torch_reference_bench.py --device cpu --shapes tiny --steps 3 --warmup 1   # a smoke test

Initial weights come from torch's generator, not scalinglab's: the numbers differ, the work per step
does not. MFU counts 6 N + 12 L T d FLOPs per token (PaLM appendix B, as `scalinglab bench` does),
N the non-embedding parameters plus the tied head.
"""

import argparse
import csv
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 256
MLP_RATIO = 4
LN_EPS = 1e-5
# BenchShape.java: d_model, layers, heads, context, batch
SHAPES = {
    "tiny": (128, 4, 4, 256, 64),
    "small": (384, 6, 6, 512, 64),
    "base": (768, 12, 12, 1024, 32),
}
# BenchRunner.config: torch.optim.AdamW's defaults where scalinglab's run defaults differ
LR, BETAS, EPS, WEIGHT_DECAY, GRAD_CLIP = 3e-4, (0.9, 0.999), 1e-8, 0.01, 1.0
# LossScaler.java (torch.amp.GradScaler's defaults)
SCALE_INIT, SCALE_GROWTH_INTERVAL = 65536.0, 2000
VARIANTS = {"eager": (False, False), "sdpa": (False, True), "compile": (True, False), "compile-sdpa": (True, True)}
# engine/PeakFlops.java, dense TFLOP/s (fp32, tf32, fp16, bf16); the first entry whose substrings all
# occur in the lower-cased GPU name wins
PEAKS = [
    (("gh200",), (67, 494.7, 989.4, 989.4)),
    (("h200",), (67, 494.7, 989.4, 989.4)),
    (("h100", "pcie"), (51.2, 378, 756, 756)),
    (("h100",), (67, 494.7, 989.4, 989.4)),
    (("b200",), (75, 1125, 2250, 2250)),
    (("a100",), (19.5, 156, 312, 312)),
    (("a10g",), (31.2, 62.5, 125, 125)),
    (("a10",), (31.2, 62.5, 125, 125)),
    (("l40s",), (91.6, 183, 362, 362)),
    (("l4",), (30.3, 60, 121, 121)),
    (("4090",), (82.6, 82.6, 165.2, 165.2)),
    (("v100",), (15.7, 15.7, 125, None)),
    (("t4",), (8.1, 8.1, 65, None)),
]
PRECISIONS = ("fp32", "tf32", "fp16", "bf16")
COLUMNS = ["size", "prec", "compiled", "sdpa", "tokens_per_s", "ms_per_step", "tflops", "mfu",
           "peak_allocated_gib", "peak_reserved_gib", "final_loss", "skipped_steps", "steps", "warmup",
           "d_model", "layers", "heads", "context", "batch", "flops_per_token", "device", "gpu", "torch", "error"]


class Block(nn.Module):
    def __init__(self, d, heads, context, sdpa):
        super().__init__()
        self.heads, self.sdpa = heads, sdpa
        self.ln1 = nn.LayerNorm(d, eps=LN_EPS)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d, eps=LN_EPS)
        self.fc = nn.Linear(d, MLP_RATIO * d)
        self.out = nn.Linear(MLP_RATIO * d, d)
        mask = torch.full((context, context), float("-inf")).triu(1)
        self.register_buffer("mask", mask, persistent=False)

    def attention(self, x):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # (3, B, H, T, hd)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            # the same math as Gpt.attend: scores, additive mask, softmax in the activations' dtype, @ v
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd)) + self.mask[:t, :t].to(q.dtype)
            y = torch.softmax(scores, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class Gpt(nn.Module):
    def __init__(self, d, layers, heads, context, sdpa):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, d)
        self.wpe = nn.Parameter(torch.empty(context, d))
        self.blocks = nn.ModuleList(Block(d, heads, context, sdpa) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=LN_EPS)
        residual = 0.02 / math.sqrt(2 * layers)
        for name, p in self.named_parameters():
            if name.endswith("ln1.weight") or name.endswith("ln2.weight") or name == "ln_f.weight":
                nn.init.ones_(p)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)
            elif name.endswith("proj.weight") or name.endswith("out.weight"):
                nn.init.normal_(p, 0.0, residual)
            else:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe[: idx.shape[1]]
        for block in self.blocks:
            x = block(x)
        logits = F.linear(self.ln_f(x), self.wte.weight)  # head tied to the token embedding
        logp = F.log_softmax(logits.view(-1, VOCAB), dim=-1, dtype=torch.float32)
        return -logp.gather(1, targets.reshape(-1, 1)).mean()


def palm_flops_per_token(model, d, layers, context):
    embeddings = model.wte.weight.numel() + model.wpe.numel()
    n = sum(p.numel() for p in model.parameters()) - embeddings + VOCAB * d  # non-embedding + tied head
    return 6.0 * n + 12.0 * layers * context * d


def peak_flops(gpu_name, prec):
    name = gpu_name.lower()
    for match, peaks in PEAKS:
        if all(s in name for s in match):
            value = peaks[PRECISIONS.index(prec)]
            return None if value is None else value * 1e12
    return None


def rss_gib():
    # ru_maxrss is in KiB on Linux: the CPU's "peak memory" is the process's peak resident set
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def run(shape, prec, compiled, sdpa, device, steps, warmup, seed):
    d, layers, heads, context, batch = SHAPES[shape]
    cuda = device.type == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = prec == "tf32"
        torch.backends.cudnn.allow_tf32 = prec == "tf32"
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    torch.manual_seed(seed)
    model = Gpt(d, layers, heads, context, sdpa).to(device)
    fpt = palm_flops_per_token(model, d, layers, context)
    low = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(prec)
    if low is None:
        master = list(model.parameters())
    else:
        # float32 master weights for AdamW; the model itself holds float16/bfloat16 copies
        master = [p.detach().clone().float() for p in model.parameters()]
        model = model.to(low)
    decay = [m for m in master if m.dim() == 2]
    no_decay = [m for m in master if m.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                             {"params": no_decay, "weight_decay": 0.0}], lr=LR, betas=BETAS, eps=EPS)
    forward = torch.compile(model) if compiled else model
    scaling = prec == "fp16"
    scale = SCALE_INIT if scaling else 1.0
    clean = 0
    skipped = 0
    losses = []
    generator = torch.Generator(device=device).manual_seed(seed)

    def step():
        nonlocal scale, clean, skipped
        tokens = torch.randint(0, VOCAB, (batch, context + 1), device=device, generator=generator)
        loss = forward(tokens[:, :-1], tokens[:, 1:])
        (loss * scale if scaling else loss).backward()
        if low is not None:
            params = list(model.parameters())
            for m, p in zip(master, params):
                m.grad = p.grad.float().div_(scale) if scaling else p.grad.float()
                p.grad = None
        norm = torch.nn.utils.clip_grad_norm_(master, GRAD_CLIP)
        if scaling:
            if not torch.isfinite(norm).item():  # a device sync, as scalinglab's fp16 step makes
                scale /= 2
                clean = 0
                skipped += 1
                opt.zero_grad(set_to_none=True)
                return loss
            clean += 1
            if clean >= SCALE_GROWTH_INTERVAL:
                scale *= 2
                clean = 0
        opt.step()
        opt.zero_grad(set_to_none=True)
        if low is not None:
            with torch.no_grad():
                for m, p in zip(master, model.parameters()):
                    p.copy_(m)
        return loss

    for _ in range(warmup):
        step()
    if cuda:
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(steps):
        losses.append(step().detach())
    if cuda:
        torch.cuda.synchronize(device)
    seconds = time.perf_counter() - start
    tokens_per_s = steps * batch * context / seconds
    gpu = torch.cuda.get_device_name(device) if cuda else ""
    peak = peak_flops(gpu, prec) if cuda else None
    row = {
        "size": shape, "prec": prec, "compiled": str(compiled), "sdpa": str(sdpa),
        "tokens_per_s": f"{tokens_per_s:.1f}", "ms_per_step": f"{1e3 * seconds / steps:.3f}",
        "tflops": f"{tokens_per_s * fpt / 1e12:.3f}", "mfu": "" if peak is None else f"{tokens_per_s * fpt / peak:.4f}",
        "peak_allocated_gib": f"{torch.cuda.max_memory_allocated(device) / 2**30:.3f}" if cuda else f"{rss_gib():.3f}",
        "peak_reserved_gib": f"{torch.cuda.max_memory_reserved(device) / 2**30:.3f}" if cuda else "",
        "final_loss": f"{torch.stack(losses).float().mean().item():.4f}", "skipped_steps": skipped,
        "steps": steps, "warmup": warmup, "d_model": d, "layers": layers, "heads": heads, "context": context,
        "batch": batch, "flops_per_token": f"{fpt:.6g}", "device": str(device), "gpu": gpu,
        "torch": torch.__version__, "error": "",
    }
    del model, forward, opt, master
    return row


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                    help="cuda, cuda:N or cpu (default: cuda when available)")
    ap.add_argument("--shapes", help="tiny,small,base (default: all on CUDA, tiny on the CPU)")
    ap.add_argument("--precisions", help="fp32,tf32,fp16,bf16 (default: fp32,tf32,fp16 on CUDA, fp32 on the CPU)")
    ap.add_argument("--variants", default="eager",
                    help="eager (the same math as scalinglab), sdpa, compile, compile-sdpa (default: eager)")
    ap.add_argument("--steps", type=int, default=30, help="timed steps (default 30, as scalinglab bench)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5, as scalinglab bench)")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (default: torch's choice)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default="torch.csv", help="the CSV to write (default torch.csv)")
    args = ap.parse_args(argv)

    device = torch.device(args.device)
    cuda = device.type == "cuda"
    if cuda and not torch.cuda.is_available():
        ap.error("--device %s: torch sees no CUDA GPU (torch %s)" % (args.device, torch.__version__))
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    shapes = (args.shapes or ("tiny,small,base" if cuda else "tiny")).split(",")
    precisions = (args.precisions or ("fp32,tf32,fp16" if cuda else "fp32")).split(",")
    variants = args.variants.split(",")
    for value, allowed, what in ((shapes, SHAPES, "shape"), (precisions, PRECISIONS, "precision"),
                                 (variants, VARIANTS, "variant")):
        for v in value:
            if v not in allowed:
                ap.error("unknown %s '%s': use %s" % (what, v, ", ".join(allowed)))
    for p in precisions:
        if not cuda and p != "fp32":
            ap.error("precision %s needs --device cuda" % p)
    if args.steps < 1 or args.warmup < 0:
        ap.error("--steps must be at least 1 and --warmup at least 0")

    failed = 0
    with open(args.out, "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=COLUMNS)
        out.writeheader()
        print("%-6s %-5s %-12s %12s %9s %8s %7s %9s %8s" % ("size", "prec", "variant", "tokens/s", "ms/step",
                                                           "TFLOP/s", "MFU", "peak GiB", "loss"))
        for shape in shapes:
            for prec in precisions:
                for variant in variants:
                    compiled, sdpa = VARIANTS[variant]
                    try:
                        row = run(shape, prec, compiled, sdpa, device, args.steps, args.warmup, args.seed)
                    except (RuntimeError, torch.cuda.OutOfMemoryError) as e:
                        # one failed row (out of memory, say) leaves the others to be measured
                        failed += 1
                        row = {"size": shape, "prec": prec, "compiled": str(compiled), "sdpa": str(sdpa),
                               "steps": args.steps, "warmup": args.warmup, "device": str(device),
                               "torch": torch.__version__, "error": str(e).splitlines()[0][:200]}
                        if cuda:
                            torch.cuda.empty_cache()
                    out.writerow(row)
                    f.flush()  # rows measured so far survive a later crash or timeout
                    if row["error"]:
                        print("%-6s %-5s %-12s FAILED: %s" % (shape, prec, variant, row["error"]))
                    else:
                        print("%-6s %-5s %-12s %12.0f %9.2f %8.2f %7s %9s %8s" % (
                            shape, prec, variant, float(row["tokens_per_s"]), float(row["ms_per_step"]),
                            float(row["tflops"]), row["mfu"] and "%.1f%%" % (100 * float(row["mfu"])),
                            row["peak_allocated_gib"], row["final_loss"]))
                    sys.stdout.flush()
    print("written %s; compare with: scripts/scalinglab bench --reference %s" % (args.out, args.out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
