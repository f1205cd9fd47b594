/**
 * Help texts of every command group, apart from the commands themselves: `asx --help`
 * prints them all without loading any command module (start-up time, issue 9).
 */

export const PACK_HELP = `Packs (weights.v2c-bin):
  asx pack build STREAMS.json|TENSOR.svg -o OUT [--sign-key FILE] [--v2c OUT.json] [--import]
                                 full pipeline from named lane streams {"streams": {...}, "config": {...}}
                                 or from an SVG-tensor's named top-level groups (--import: any SVG)
  asx pack encode WEIGHTS.json|MODEL.safetensors -o OUT [--no-qscale] [--no-tune] [--no-audit] [--no-merkle]
                                 [--lane-audits N] [--sign-key FILE]
                                 weights.v2c JSON, or safetensors (one tensor of shape [dims] per lane,
                                 F64/F32/F16/BF16, streamed: any size) to weights.v2c-bin
  asx pack decode PACK           weights.v2c JSON (decoded floats) on stdout
  asx pack inspect PACK          the asx.pack.manifest.v1 manifest on stdout (reads no DATA)
  asx pack verify PACK... [--pubkey HEX]... [--require-signature] [--index-only]
                                 JSON report; exit 0 iff every leaf, root and signature checks
  asx pack proof PACK LANE       merkle inclusion proof for a lane id or symbol (reads no DATA)
  asx pack verify-proof PROOF.json --root HEX
  asx pack diff A B              level, normalized dims, per-lane cosine, pack similarity
  asx pack merge TARGET SOURCE --mode overlay|blend|union [--lambda X] -o OUT [--sign-key FILE]
  --stats (any command that reads a pack or safetensors file): bytes read and peak memory on stderr
`;

export const KEY_HELP = `Keys:
  asx key gen -o FILE          new Ed25519 seed (64 hex digits) to FILE; prints the public key
  asx key pub FILE             print the public key of a seed file (raw 32 bytes or hex)
`;

export const SVG_HELP = `SVG-tensors (svg-tensor.canonical.v1):
  asx svg check FILE             legality report (JSON); exit 1 if the file is not a legal SVG-tensor
  asx svg import FILE -o OUT     ordinary SVG → legal canonical tensor; the change report (JSON) on stdout
  asx svg canonicalize FILE [--import]
                                 canonical bytes on stdout (--import: import first instead of refusing)
  asx svg hash FILE [--import]   sha256 of the canonical bytes
  asx svg map FILE [--import]    WebGPU buffer summary (svg-tensor.webgpu.map.v1) as JSON
  asx svg streams FILE [-o OUT] [--import]
                                 lane streams document {"streams": {...}} (RFC 8785 JSON) for asx pack build
`;

export const SCXQ2_HELP = `SCXQ2 envelopes (SCXQ2S, lanes M T G X W D, and E when needed):
  asx scxq2 encode FILE -o OUT [--import]
                                 SVG-tensor → envelope
  asx scxq2 decode FILE          canonical SVG on stdout (inflate of the verified lanes)
  asx scxq2 inspect FILE         header, TOC, lane headers, sizes and roots as JSON (reads no lane body)
  asx scxq2 verify FILE [--root HEX]
                                 every lane root, the global root and the round trip; exit 1 on failure
  asx scxq2 proof FILE LANE CHUNK
                                 §18.10 proof object for one 4096-byte chunk (RFC 8785 JSON)
  asx scxq2 verify-proof PROOF.json [--envelope FILE] [--root HEX]
                                 check a proof (with --envelope: also the chunk bytes)
`;

export const GCCP_HELP = `π-GCCP (geometric control plane, spec §10–12, §20.7):
  asx gccp conformance [--gpu] [--json]
                                 CORE / FULL / MIRROR verdicts with their tests; the CPU
                                 mirror always, --gpu also on WebGPU (Dawn, via the webgpu package)
  asx gccp run --profile P.json --a A.json --b B.json [--gpu]
                                 phase, weight, collapse and timings as JSON; A/B hold [[x, y], …],
                                 P is a §11.2 π-profile; without --gpu: the §12.4 CPU mirror (f64)
`;

export const SAFETENSORS_HELP = `safetensors (Hugging Face; a sharded model by its model.safetensors.index.json):
  asx safetensors inspect FILE|INDEX.json
                                 every tensor's name, dtype, shape, bytes and offsets, the metadata
                                 and the bytes read, as JSON (reads headers only)
  asx safetensors verify FILE|INDEX.json... [--chunk-bytes N]
                                 full header checks (the reference's, and a shard map's) and a read of
                                 every tensor's bytes; JSON report; exit 0 iff every input is ok
  asx safetensors diff A B       tensor by tensor: cosine, ||B - A|| / ||A||, max |B - A|, shapes and
                                 dtypes that differ, tensors only in A or only in B (A, B: file or index)
  asx safetensors stats FILE|INDEX.json TENSOR [--bins N]
                                 min, max, mean, std, NaN/Inf/zero counts and an N-bin histogram
                                 (default 64), read in bounded chunks
  --stats: bytes read per file and peak memory on stderr
`;

export const SERVE_HELP = `serve (the Object Server over HTTP, 127.0.0.1 only):
  asx serve DIR [--port N]       serve DIR/objects/<domain>/<name>.json descriptors with payloads in
                                 DIR/blobs/sha256/<hex>; prints {"url": ...}; GET/HEAD /objects[/<id>]
                                 (?projection=, Accept, ETag, Range), GET /events (SSE); until SIGINT/SIGTERM
`;

export const OBJECTS_HELP = `objects (Object Server clients):
  asx objects compliance URL|DIR [--json] [--timeout MS]
                                 the §15.14 compliance tests (identity, load, verify, project, error,
                                 event; caching, custom invariants, streaming, authority, ASX packs)
                                 over HTTP against the server at URL, or against asx serve DIR started
                                 on a free 127.0.0.1 port and stopped after; each test pass/FAIL with
                                 the reason, and the level reached (none, 1, 2, 3, Full); --json: the
                                 asx.objects.compliance.v1 report. The server must hold the fixture
                                 set object://compliance/… (asx objects fixture). Exit 0 iff Full, 1
                                 below Full (or a failure to connect), 2 usage
  asx objects fixture DIR        write the compliance fixture set into the object folder DIR
  asx objects list URL|DIR       the object ids of a server (GET /objects) or of a folder, as JSON
`;

export const MX2LM_HELP = `mx2lm (the MX2LM model family, Brown corpus):
  asx mx2lm build [--out DIR] [--trained W.safetensors]
                                 the Brown object set (corpus splits, vocab, tokenizer, KN trigram
                                 brain, SVG graph brain, seeded base weights, inference profile)
                                 written into the object folder DIR (default mx2lm-objects); one line
                                 per object (id, bytes, hash) and the n-gram perplexity on the
                                 validation and test splits; progress on stderr (--trained: also the
                                 trained weights object://ai/weights/mx2lm-brown, named by the profile)
`;

export const GYM_HELP = `gym (MX2GYM: fold training, merges, compile; the Gym tab's work, the same bytes):
  asx gym train --fold FOLD.json -o DIR (--objects DIR | --base W.safetensors --tokenizer T.json
                (--text FILE | --train LINES --valid LINES)) [--activation tanh|relu] [--steps N]
                [--batch N] [--seed N] [--eval-every N] [--eval-tokens N] [--export-every N]
                [--form f32|binary|ternary|int2|int8] [--quiet]
                                 trains the MX2LM matrix path from the fold document; writes
                                 DIR/<fold_id>.step-<t>.fold (every N steps and the final one) and
                                 DIR/<fold_id>.log.json; progress on stderr; exit 1 if it diverged
                                 (--objects: the Brown set written by asx mx2lm build)
  asx gym compile BASE.safetensors FOLD... -o MODEL.safetensors [--metrics M.json]
                [--tokenizer T.json --valid LINES [--activation A] [--eval-tokens N]]
                                 base + folds (priority order, each fold's mode, clamp and scale) as
                                 F32 safetensors + metrics.json; with a tokenizer and validation
                                 lines, the validation perplexity of the base, of each fold and merged
  asx gym merge BASE.safetensors FOLD... -o OUT [--mode horizontal]
  asx gym merge --mode vertical|hybrid --spec SPEC.json NAME=MODEL.safetensors... [FOLD...] -o OUT
  asx gym analyze FOLD.fold|GRADS.safetensors [-o GRADS.fold [--form int8]]
                                 gradient norms, extremes, histogram (JSON); -o writes them compressed
  asx gym optimize PARAMS.safetensors --grads GRADS.safetensors (--optimizer adamw|lion|rmsprop
                [--lr X] | --fold FOLD.fold) -o OUT
                                 one optimize.step (from a fold: its optimizer and state)
  asx gym evolve --objects DIR --text FILE [FILE...] -o EVOLVE.fold [--parent EVOLVE.fold]
                [--arpa OUT.arpa] [--svg OUT.svg] [--fold-id ID]
                                 the n-gram and SVG brains evolved by an append-only count delta of
                                 the new text (chained after --parent); validation perplexity before/after
`;

export const INFER_HELP = `infer (MX2LM exact inference, spec §20; the same bytes on CPU, worker, Node and GPU):
  asx infer --objects DIR|URL --prompt TEXT [--profile ID] [--swap FILE]... [--trace OUT.json]
                                 the §20.3 request {"@request": "ai.inference", prompt, profile, "projection":
                                 "agent.reply"} over an object folder or server; prints the reply bytes
                                 (the ai.agent.reply payload); --trace writes the §20.12 events; without
                                 --profile, the objects' only ai.inference.profile; --swap replaces the
                                 object whose role the file fills (weights .safetensors, profile JSON,
                                 tokenizer.json, vocab JSON, .arpa, .svg), as a drop on the Inference tab
`;
