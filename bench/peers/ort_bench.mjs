// ONNX Runtime CPU (npm onnxruntime-node) on bench/peers' vision.onnx:
// checks its output against the torch module's (reference.bin), then times
// the batches asked for. Machine-readable lines start with "ORT ".
//
//   node ort_bench.mjs DIR --batches 1,8 --seconds 10 --threads N
// (run with NODE_PATH pointing at the node_modules holding onnxruntime-node)

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const IMAGE = 224, PROJ = 512, REF_ROWS = 8;
const PIXELS = 3 * IMAGE * IMAGE;

function parseArgs(argv) {
    const opts = { dir: argv[0], batches: [1, 8], seconds: 10, threads: os.cpus().length };
    for (let i = 1; i < argv.length; i += 2) {
        if (argv[i] === '--batches') opts.batches = argv[i + 1].split(',').map(Number);
        else if (argv[i] === '--seconds') opts.seconds = Number(argv[i + 1]);
        else if (argv[i] === '--threads') opts.threads = Number(argv[i + 1]);
        else throw new Error(`unknown option ${argv[i]}`);
    }
    if (!opts.dir) throw new Error('usage: ort_bench.mjs DIR [--batches 1,8] [--seconds S] [--threads N]');
    return opts;
}

function cosine(a, b) {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; ++i) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    return dot / Math.sqrt(na * nb);
}

async function check(session, dir) {
    const buf = readFileSync(path.join(dir, 'reference.bin'));
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const pixels = all.slice(0, REF_ROWS * PIXELS);
    const expected = all.slice(REF_ROWS * PIXELS, REF_ROWS * (PIXELS + PROJ));
    const out = await session.run({ pixel_values: new ort.Tensor('float32', pixels, [REF_ROWS, 3, IMAGE, IMAGE]) });
    const got = out.image_embeds.data;
    let minCos = 1, maxRel = 0;
    for (let r = 0; r < REF_ROWS; ++r) {
        const a = got.subarray(r * PROJ, (r + 1) * PROJ), b = expected.subarray(r * PROJ, (r + 1) * PROJ);
        minCos = Math.min(minCos, cosine(a, b));
        let d = 0, n = 0;
        for (let i = 0; i < PROJ; ++i) { d += (a[i] - b[i]) ** 2; n += b[i] ** 2; }
        maxRel = Math.max(maxRel, Math.sqrt(d / n));
    }
    console.log(`ORT check ${REF_ROWS} images vs torch module: min cosine ${minCos.toFixed(6)}, max relative L2 error ${maxRel.toExponential(2)}`);
    return minCos;
}

// Median seconds per run, after warm-up runs, over at least `minRuns` runs
// and `budget` seconds (bench_clip times the same way).
async function timeBatch(session, batch, budget) {
    const data = new Float32Array(batch * PIXELS);
    for (let i = 0; i < data.length; ++i) data[i] = Math.sin(i * 0.37) * 1.5;
    const feeds = { pixel_values: new ort.Tensor('float32', data, [batch, 3, IMAGE, IMAGE]) };
    for (let i = 0; i < 2; ++i) await session.run(feeds);
    const runs = [];
    const start = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
    while (runs.length < 3 || elapsed() < budget) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    runs.sort((a, b) => a - b);
    return { median: runs[Math.floor(runs.length / 2)], runs: runs.length };
}

const opts = parseArgs(process.argv.slice(2));
const session = await ort.InferenceSession.create(path.join(opts.dir, 'vision.onnx'), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
});
console.log(`ORT info onnxruntime-node ${ort.env.versions?.node ?? '?'}, cpu EP, ${opts.threads} intra-op threads`);
const minCos = await check(session, opts.dir);
for (const b of opts.batches) {
    const { median, runs } = await timeBatch(session, b, opts.seconds);
    console.log(`ORT vision ${b} ${(median * 1e3).toFixed(2)} ${(b / median).toFixed(2)} runs=${runs}`);
}
process.exit(minCos >= 0.999 ? 0 : 1);
