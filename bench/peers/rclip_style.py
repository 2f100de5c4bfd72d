#!/usr/bin/python3
"""An rclip-style indexer, for bench/peers/index_run.sh (run on purpose only).

rclip (Python, PIL, open_clip/PyTorch or ONNX Runtime on the CPU, ViT-B/32)
indexes a folder like this: every file is decoded in full by PIL
(`Image.open(p).convert("RGB")`, no draft/reduced decode), preprocessed as
CLIP does (bicubic resize of the short side to 224, centre crop 224, scale
to [0,1], normalise with CLIP's mean/std), encoded in batches of 8, the
vectors made unit-length and stored in SQLite. This file does the same with
Debian's python3-pil, numpy and python3-torch, the encoder being the
ViT-B/32-shaped vision tower of make_vit.py in torch fp32, its weights read
from the model folder's model.safetensors. The files of a batch are loaded
and preprocessed on a thread pool of nproc threads (rclip's own loop reads
them one by one), then the batch is encoded; `--ahead K` lets the pool work
K batches ahead, overlapping the encoder (on 2 cores that oversubscribes
them: torch's threads and the loaders compete).

  rclip_style.py make-photos DIR N       N distinct 4000x3000 JPEGs (q90, EXIF)
  rclip_style.py index --model DIR --db FILE [--batch 8] [--workers N] [--ahead 0] FOLDER
                                          one JSON line: photos, seconds, ...
  rclip_style.py encoder --model DIR [--batch 8] [--seconds 5]
                                          encoder alone: median img/s
  rclip_style.py compare DB CATALOG       cosine of each photo's vector, ours
                                          against this script's
"""
import concurrent.futures
import json
import math
import os
import re
import sqlite3
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
SIZE = 224
PHOTO_W, PHOTO_H = 4000, 3000
PHOTOS_VERSION = "1"  # change when make_photo changes: cached photos are made again
IMAGE_RE = re.compile(r"^.+\.(jpe?g|png)$", re.I)  # rclip's default extensions


# --- photos ------------------------------------------------------------------

def make_photo(path, seed):
    """A photo-like 12 MP picture: a sky/ground gradient, soft light blobs,
    shapes with edges, texture over everything and sensor noise, saved at
    quality 90 (4:2:0) with camera EXIF. Every seed gives different content."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    top, bottom = rng.uniform(20, 235, 3).astype(np.float32), rng.uniform(20, 235, 3).astype(np.float32)
    y = np.linspace(0.0, 1.0, PHOTO_H, dtype=np.float32)[:, None, None]
    x = np.linspace(-1.0, 1.0, PHOTO_W, dtype=np.float32)[None, :, None]
    img = top + (bottom - top) * y + rng.uniform(-25, 25, 3).astype(np.float32) * x
    # Soft blobs: low-resolution noise, upsampled.
    blobs = Image.fromarray(rng.integers(0, 256, (9, 12, 3), dtype=np.uint8)).resize((PHOTO_W, PHOTO_H), Image.BICUBIC)
    img += (np.asarray(blobs, dtype=np.float32) - 128.0) * 0.35
    picture = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(int(rng.integers(15, 40))):
        x0, y0 = int(rng.integers(-400, PHOTO_W)), int(rng.integers(-400, PHOTO_H))
        w, h = int(rng.integers(60, 1400)), int(rng.integers(60, 1400))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            draw.ellipse((x0, y0, x0 + w, y0 + h), fill=colour)
        elif kind == 1:
            draw.rectangle((x0, y0, x0 + w, y0 + h), fill=colour)
        else:
            pts = [(x0 + int(rng.integers(0, w)), y0 + int(rng.integers(0, h))) for _ in range(5)]
            draw.polygon(pts, fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(1.5))  # lens softness
    img = np.asarray(picture, dtype=np.float32)
    # Texture over everything (foliage, fabric, skin): noise at 1/4 and 1/2
    # resolution, upsampled; then sensor noise per pixel.
    for scale, sigma in ((4, 12.0), (2, 6.0)):
        t = rng.normal(0.0, sigma, (PHOTO_H // scale, PHOTO_W // scale)).astype(np.float32)
        t = np.asarray(Image.fromarray(t, mode="F").resize((PHOTO_W, PHOTO_H), Image.BILINEAR))
        img += t[:, :, None]
    img += rng.normal(0.0, 4.0, (PHOTO_H, PHOTO_W, 3)).astype(np.float32)
    picture = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "PhotoSearch bench", f"synthetic {seed}"
    exif[0x0112] = 1  # orientation: as stored
    exif[0x0132] = time.strftime("%Y:%m:%d %H:%M:%S", time.gmtime(1_500_000_000 + seed * 3600))
    tmp = path + ".tmp"
    picture.save(tmp, "JPEG", quality=90, exif=exif.tobytes())
    os.replace(tmp, path)
    return os.path.getsize(path)


def make_photos(folder, count):
    """Makes the missing ones of img00000.jpg ... in `folder`; photos of an
    earlier PHOTOS_VERSION are made again."""
    os.makedirs(folder, exist_ok=True)
    stamp = os.path.join(folder, ".version")
    if not os.path.exists(stamp) or open(stamp).read().strip() != PHOTOS_VERSION:
        for name in os.listdir(folder):
            if name.endswith(".jpg"):
                os.remove(os.path.join(folder, name))
        with open(stamp, "w") as f:
            f.write(PHOTOS_VERSION + "\n")
    todo = [i for i in range(count) if not os.path.exists(photo_path(folder, i))]
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        sizes = list(pool.map(make_photo, [photo_path(folder, i) for i in todo], todo))
    if sizes:
        print(f"rclip_style: wrote {len(sizes)} photos, mean {statistics.mean(sizes) / 1e6:.2f} MB", file=sys.stderr)


def photo_path(folder, i):
    return os.path.join(folder, f"img{i:05d}.jpg")


# --- the encoder: make_vit.py's module, weights from model.safetensors ---------

def load_encoder(model_dir):
    """The vision tower + projection with the folder's weights (rclip loads its
    checkpoint from disk on every run too)."""
    import numpy as np
    import torch

    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import make_vit

    module = make_vit.build_module().eval()
    path = os.path.join(model_dir, "model.safetensors")
    with open(path, "rb") as f:
        header_len = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(header_len))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
    state = {}
    for name, param in module.state_dict().items():
        entry = header[name]
        start, end = entry["data_offsets"]
        if entry["dtype"] != "F32":
            sys.exit(f"rclip_style: {path}: {name} is {entry['dtype']}, expected F32")
        state[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype="<f4").copy()).view(entry["shape"])
    module.load_state_dict(state)
    return module


# --- rclip-style indexing -----------------------------------------------------

def load_and_preprocess(path):
    """What rclip's read_image + open_clip's transforms do: full decode, RGB,
    bicubic short side -> 224 (PIL's resize, as torchvision's Resize does on
    a PIL image), centre crop, ToTensor, Normalize."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as opened:
        image = opened.convert("RGB")
    w, h = image.size
    if w <= h:
        size = (SIZE, int(SIZE * h / w))
    else:
        size = (int(SIZE * w / h), SIZE)
    image = image.resize(size, Image.BICUBIC)
    left, top = int(round((size[0] - SIZE) / 2.0)), int(round((size[1] - SIZE) / 2.0))
    image = image.crop((left, top, left + SIZE, top + SIZE))
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    pixels = (pixels - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
    return pixels.transpose(2, 0, 1)


def walk(folder):
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path)
        elif entry.is_file() and IMAGE_RE.match(entry.name):
            yield entry


def open_db(path):
    """rclip's images table (db.py), on a fresh file."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE images (id INTEGER PRIMARY KEY AUTOINCREMENT, deleted BOOLEAN, "
               "filepath TEXT NOT NULL UNIQUE, modified_at DATETIME NOT NULL, size INTEGER NOT NULL, "
               "vector BLOB NOT NULL, indexing BOOLEAN)")
    return db


def index(model_dir, db_path, folder, batch, workers, ahead):
    import numpy as np
    import torch

    start = time.perf_counter()
    torch.set_num_threads(os.cpu_count() or 1)
    db = open_db(db_path)
    entries = [(e.path, e.stat()) for e in walk(folder)]
    module = load_encoder(model_dir)
    model_seconds = time.perf_counter() - start
    encode_seconds = wait_seconds = 0.0
    stored = failed = 0
    with concurrent.futures.ThreadPoolExecutor(workers) as pool, torch.inference_mode():
        pending = []  # futures in file order, the next batch and `ahead` more
        next_entry = 0
        while next_entry < len(entries) or pending:
            while next_entry < len(entries) and len(pending) < (1 + ahead) * batch:
                pending.append((entries[next_entry], pool.submit(load_and_preprocess, entries[next_entry][0])))
                next_entry += 1
            chunk, pending = pending[:batch], pending[batch:]
            t = time.perf_counter()
            rows, pixels = [], []
            for (path, st), future in chunk:
                try:
                    pixels.append(future.result())
                    rows.append((path, st))
                except Exception as e:  # rclip logs and skips a file it cannot load
                    print(f"error loading image {path}: {e}", file=sys.stderr)
                    failed += 1
            wait_seconds += time.perf_counter() - t
            if not rows:
                continue
            t = time.perf_counter()
            features = module(torch.from_numpy(np.stack(pixels)))
            features /= features.norm(dim=-1, keepdim=True)
            vectors = features.numpy()
            encode_seconds += time.perf_counter() - t
            db.executemany("INSERT INTO images (deleted, filepath, modified_at, size, vector, indexing) "
                           "VALUES (0, ?, ?, ?, ?, 0)",
                           [(p, st.st_mtime, st.st_size, v.tobytes()) for (p, st), v in zip(rows, vectors)])
            stored += len(rows)
    db.commit()
    db.close()
    print(json.dumps({"photos": stored, "failed": failed, "seconds": round(time.perf_counter() - start, 3),
                      "modelSeconds": round(model_seconds, 3), "encodeSeconds": round(encode_seconds, 3),
                      "waitSeconds": round(wait_seconds, 3), "torchThreads": torch.get_num_threads(),
                      "loaderThreads": workers, "batchesAhead": ahead, "batch": batch, "torch": torch.__version__}))


# --- encoder alone, timed as bench_clip / ort_bench.mjs time theirs ------------

def encoder(model_dir, batch, seconds):
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    module = load_encoder(model_dir)
    i = torch.arange(batch * 3 * SIZE * SIZE, dtype=torch.float32)
    pixels = (torch.sin(i * 0.37) * 1.5).view(batch, 3, SIZE, SIZE)  # ort_bench.mjs's input
    times = []
    with torch.inference_mode():
        for _ in range(2):
            module(pixels)
        begin = time.perf_counter()
        while time.perf_counter() - begin < seconds or len(times) < 3:
            t = time.perf_counter()
            module(pixels)
            times.append(time.perf_counter() - t)
    median = statistics.median(times)
    print(f"{batch / median:.2f} img/s (median {median * 1000:.1f} ms, {len(times)} runs; torch {torch.__version__} "
          f"fp32, {torch.get_num_threads()} threads)")


# --- same vectors? ---------------------------------------------------------------

def compare(db_path, catalog_path):
    import numpy as np

    ours = {}
    with sqlite3.connect(catalog_path) as c:
        for path, dim, blob in c.execute("SELECT p.path, e.dim, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id"):
            if len(blob) == 4 * dim:
                ours[os.path.realpath(path)] = np.frombuffer(blob, dtype="<f4")
    cosines, mine_all = [], []
    with sqlite3.connect(db_path) as c:
        for path, blob in c.execute("SELECT filepath, vector FROM images"):
            mine = np.frombuffer(blob, dtype="<f4")
            mine_all.append(mine / np.linalg.norm(mine))
            other = ours.get(os.path.realpath(path))
            if other is not None:
                cosines.append(float(mine @ other / (np.linalg.norm(mine) * np.linalg.norm(other))))
    if not cosines:
        print("same vectors? no photo found in both (or our vectors are not float32)")
        return 1
    # For scale: how alike two different photos' vectors are (random weights
    # keep a large shared component).
    m = np.stack(mine_all)
    between = (m @ m.T)[~np.eye(len(m), dtype=bool)]
    print(f"same vectors? {len(cosines)} photos in both, ours against rclip-style per photo: cosine min "
          f"{min(cosines):.5f}, mean {statistics.mean(cosines):.5f} (different photos: mean "
          f"{between.mean() if between.size else float('nan'):.3f}, max {between.max() if between.size else float('nan'):.3f})")
    return 0


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return type(default)(value) if default is not None else value
    return default


def main(argv):
    args = argv[1:]
    command = args.pop(0) if args else ""
    if command == "make-photos" and len(args) == 2:
        make_photos(args[0], int(args[1]))
    elif command == "index":
        model, db = option(args, "--model", None), option(args, "--db", None)
        batch, workers = option(args, "--batch", 8), option(args, "--workers", os.cpu_count() or 1)
        ahead = option(args, "--ahead", 0)
        if not model or not db or len(args) != 1:
            sys.exit(__doc__)
        index(model, db, args[0], batch, workers, ahead)
    elif command == "encoder":
        model = option(args, "--model", None)
        batch, seconds = option(args, "--batch", 8), option(args, "--seconds", 5.0)
        if not model or args:
            sys.exit(__doc__)
        encoder(model, batch, seconds)
    elif command == "compare" and len(args) == 2:
        return compare(args[0], args[1])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
