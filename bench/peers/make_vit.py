#!/usr/bin/python3
"""ViT-B/32-shaped CLIP with seeded random weights, for bench/peers/run.sh.

Writes, into OUT:
  model/       config.json + model.safetensors (HF CLIP key names) + tokenizer
               files, a folder photosearch-cli and bench_clip load;
  vision.onnx  the same vision tower + projection (HF
               CLIPVisionModelWithProjection's math), dynamic batch axis;
  probe.png    a 224x224 test image (no resize or crop in preprocessing);
  reference.bin  float32 [8,3,224,224] pixels (row 0 = probe.png
               normalised as CLIPImageProcessor does, rows 1-7 random) then
               float32 [8,512] torch embeddings of them.

`make_vit.py compare-cli OUT CLI_JSON_LINE` prints the cosine between the
CLI's embedding of probe.png and torch's row 0.
Needs only Debian's python3-torch (plain torch, no transformers).
"""
import json
import math
import os
import shutil
import struct
import sys
import zlib

import torch
from torch import nn

HIDDEN, LAYERS, HEADS, MLP, PATCH, IMAGE, PROJ, EPS = 768, 12, 12, 3072, 32, 224, 512, 1e-5
# The loader needs a text tower; a tiny one keeps the files small (the bench
# times the vision tower only). `--full-text` gives it ViT-B/32's text tower
# instead, for index_run.sh: a new library embeds its tag vocabulary with it.
TEXT = dict(hidden=64, mlp=128, layers=2, heads=4, vocab=49408, positions=77)
FULL_TEXT = dict(hidden=512, mlp=2048, layers=12, heads=8, vocab=49408, positions=77)
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
SEED = 1234


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def build_module():
    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q_proj, self.k_proj = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)
            self.v_proj, self.out_proj = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)

        def forward(self, x):
            b, n, _ = x.shape
            hd = HIDDEN // HEADS
            split = lambda t: t.reshape(b, n, HEADS, hd).transpose(1, 2)
            q = split(self.q_proj(x) * hd ** -0.5)
            k, v = split(self.k_proj(x)), split(self.v_proj(x))
            a = torch.softmax(q @ k.transpose(-1, -2), dim=-1) @ v
            return self.out_proj(a.transpose(1, 2).reshape(b, n, HIDDEN))

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(HIDDEN, MLP), nn.Linear(MLP, HIDDEN)

        def forward(self, x):
            return self.fc2(quick_gelu(self.fc1(x)))

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_attn, self.mlp = Attention(), Mlp()
            self.layer_norm1, self.layer_norm2 = nn.LayerNorm(HIDDEN, eps=EPS), nn.LayerNorm(HIDDEN, eps=EPS)

        def forward(self, x):
            x = x + self.self_attn(self.layer_norm1(x))
            return x + self.mlp(self.layer_norm2(x))

    class Embeddings(nn.Module):
        def __init__(self):
            super().__init__()
            self.class_embedding = nn.Parameter(torch.zeros(HIDDEN))
            self.patch_embedding = nn.Conv2d(3, HIDDEN, PATCH, PATCH, bias=False)
            self.position_embedding = nn.Embedding((IMAGE // PATCH) ** 2 + 1, HIDDEN)

        def forward(self, pixels):
            p = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
            cls = self.class_embedding.expand(p.shape[0], 1, HIDDEN)
            return torch.cat([cls, p], dim=1) + self.position_embedding.weight

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))

    class VisionModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings = Embeddings()
            self.pre_layrnorm = nn.LayerNorm(HIDDEN, eps=EPS)
            self.encoder = Encoder()
            self.post_layernorm = nn.LayerNorm(HIDDEN, eps=EPS)

    class VisionWithProjection(nn.Module):
        """CLIPVisionModelWithProjection: image_embeds = proj(post_ln(h[:, 0]))."""

        def __init__(self):
            super().__init__()
            self.vision_model = VisionModel()
            self.visual_projection = nn.Linear(HIDDEN, PROJ, bias=False)

        def forward(self, pixel_values):
            v = self.vision_model
            x = v.pre_layrnorm(v.embeddings(pixel_values))
            for layer in v.encoder.layers:
                x = layer(x)
            return self.visual_projection(v.post_layernorm(x[:, 0]))

    return VisionWithProjection()


def randomize(module, gen):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "norm" in name or "layrnorm" in name:
                # Not ones/zeros: a wrong LayerNorm wiring must show in the check.
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.02 * torch.randn(p.shape, generator=gen))


def text_tensors(gen):
    t, d, i = TEXT, TEXT["hidden"], TEXT["mlp"]
    r = lambda *s: 0.02 * torch.randn(s, generator=gen)
    out = {"text_model.embeddings.token_embedding.weight": r(t["vocab"], d),
           "text_model.embeddings.position_embedding.weight": r(t["positions"], d),
           "text_model.final_layer_norm.weight": torch.ones(d), "text_model.final_layer_norm.bias": torch.zeros(d),
           "text_projection.weight": r(PROJ, d), "logit_scale": torch.tensor(math.log(100.0))}
    for l in range(t["layers"]):
        p = f"text_model.encoder.layers.{l}."
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            out[p + f"self_attn.{proj}.weight"], out[p + f"self_attn.{proj}.bias"] = r(d, d), r(d)
        for ln in ("layer_norm1", "layer_norm2"):
            out[p + ln + ".weight"], out[p + ln + ".bias"] = torch.ones(d), torch.zeros(d)
        out[p + "mlp.fc1.weight"], out[p + "mlp.fc1.bias"] = r(i, d), r(i)
        out[p + "mlp.fc2.weight"], out[p + "mlp.fc2.bias"] = r(d, i), r(d)
    return out


def write_safetensors(path, tensors):
    """8-byte little-endian header length, JSON header, raw little-endian F32 bytes."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def config():
    t = TEXT
    return {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": PROJ,
            "logit_scale_init_value": 2.6592,
            "text_config": {"hidden_size": t["hidden"], "intermediate_size": t["mlp"],
                            "num_hidden_layers": t["layers"], "num_attention_heads": t["heads"],
                            "vocab_size": t["vocab"], "max_position_embeddings": t["positions"],
                            "bos_token_id": 49406, "eos_token_id": 49407, "hidden_act": "quick_gelu",
                            "layer_norm_eps": EPS, "projection_dim": PROJ},
            "vision_config": {"hidden_size": HIDDEN, "intermediate_size": MLP, "num_hidden_layers": LAYERS,
                              "num_attention_heads": HEADS, "patch_size": PATCH, "image_size": IMAGE,
                              "num_channels": 3, "hidden_act": "quick_gelu", "layer_norm_eps": EPS,
                              "projection_dim": PROJ}}


def probe_rgb():
    """A smooth 224x224 RGB pattern with some edges, as bytes row by row."""
    rows = []
    for y in range(IMAGE):
        row = bytearray()
        for x in range(IMAGE):
            r = int(127 + 120 * math.sin(x / 17.0) * math.cos(y / 23.0))
            g = (x * 255) // (IMAGE - 1)
            b = 220 if (x // 28 + y // 28) % 2 else 30
            row += bytes((r, g, b))
        rows.append(bytes(row))
    return rows


def write_png(path, rows):
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + r for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", IMAGE, IMAGE, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def probe_pixels(rows):
    hwc = torch.tensor([list(r) for r in rows], dtype=torch.float32).view(IMAGE, IMAGE, 3)
    mean255 = torch.tensor(MEAN, dtype=torch.float32) * 255.0
    std255 = torch.tensor(STD, dtype=torch.float32) * 255.0
    return ((hwc - mean255) / std255).permute(2, 0, 1).unsqueeze(0).contiguous()


def make(out, tokenizer_dir):
    torch.set_num_threads(os.cpu_count() or 1)
    gen = torch.Generator().manual_seed(SEED)
    module = build_module().eval()
    randomize(module, gen)
    model_dir = os.path.join(out, "model")
    os.makedirs(model_dir, exist_ok=True)
    tensors = dict(module.state_dict())
    tensors.update(text_tensors(gen))
    write_safetensors(os.path.join(model_dir, "model.safetensors"), tensors)
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(config(), f, indent=1)
    for name in os.listdir(tokenizer_dir):
        shutil.copyfile(os.path.join(tokenizer_dir, name), os.path.join(model_dir, name))

    rows = probe_rgb()
    write_png(os.path.join(out, "probe.png"), rows)
    pixels = torch.cat([probe_pixels(rows), torch.randn((7, 3, IMAGE, IMAGE), generator=gen)])
    with torch.no_grad():
        embeds = module(pixels)
        torch.onnx.export(module, pixels[:1], os.path.join(out, "vision.onnx"), opset_version=17,
                          input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})
    with open(os.path.join(out, "reference.bin"), "wb") as f:
        f.write(pixels.numpy().astype("<f4").tobytes())
        f.write(embeds.numpy().astype("<f4").tobytes())
    print(f"make_vit: wrote {out} (torch {torch.__version__}, seed {SEED})", file=sys.stderr)


def compare_cli(out, line):
    ours = torch.tensor(json.loads(line)["embedding"], dtype=torch.float32)
    with open(os.path.join(out, "reference.bin"), "rb") as f:
        f.seek(8 * 3 * IMAGE * IMAGE * 4)
        ref = torch.frombuffer(bytearray(f.read(PROJ * 4)), dtype=torch.float32)
    cos = torch.nn.functional.cosine_similarity(ours, ref, dim=0).item()
    rel = ((ours - ref).norm() / ref.norm()).item()
    print(f"photosearch-cli embed (probe.png) vs torch module: cosine {cos:.6f}, relative L2 error {rel:.2e}")
    return 0 if cos >= 0.999 else 1


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "make" and sys.argv[4:] in ([], ["--full-text"]):
        if sys.argv[4:]:
            TEXT.update(FULL_TEXT)
        make(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare-cli":
        sys.exit(compare_cli(sys.argv[2], sys.argv[3]))
    else:
        sys.exit("usage: make_vit.py make OUT TOKENIZER_DIR [--full-text] | compare-cli OUT CLI_JSON_LINE")
