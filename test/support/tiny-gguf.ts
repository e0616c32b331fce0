import { writeFileSync } from 'node:fs';

/**
 * Writes a tiny llama-architecture GGUF model (format version 3) with random weights from a seed: small enough to
 * write in a few milliseconds and to run on a CPU at hundreds of tokens a second, real enough for node-llama-cpp
 * and llama.cpp's loader. Its vocabulary is byte-level: the sentencepiece ("llama") tokenizer with the 256 byte
 * tokens `<0x00>`…`<0xFF>` it falls back to, plus `▁` (its space) and the three special tokens. What it writes
 * is what llama.cpp's llama loader requires (src/llama-model.cpp, src/llama-vocab.cpp): the architecture's
 * hyper-parameters, the tokenizer arrays, and every tensor of each block, F32, dims innermost first.
 * Its answers are noise: it exists to prove the plumbing, not to judge.
 */
export interface TinyModel {
  seed?: number;
  layers?: number;
  embedding?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
}

const enum ValueType { U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9 }
const GGML_F32 = 0;
const ALIGNMENT = 32;

type Value = { type: ValueType.U32 | ValueType.I32 | ValueType.F32; value: number } | { type: ValueType.BOOL; value: boolean } | { type: ValueType.STRING; value: string } | { type: ValueType.ARRAY; of: ValueType.STRING | ValueType.F32 | ValueType.I32; value: (string | number)[] };

export function tinyVocabulary(): { tokens: string[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>', '▁'];
  // Token types as llama.cpp numbers them: 1 normal, 2 unknown, 3 control, 6 byte.
  const types = [2, 3, 3, 1];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  return { tokens, types };
}

export function writeTinyGguf(file: string, options: TinyModel = {}): void {
  const { seed = 1, layers = 2, embedding = 64, heads = 4, feedForward = 128, contextLength = 32768 } = options;
  const { tokens, types } = tinyVocabulary();
  const metadata: [string, Value][] = [
    ['general.architecture', { type: ValueType.STRING, value: 'llama' }],
    ['general.name', { type: ValueType.STRING, value: 'jury tiny test model' }],
    ['llama.context_length', { type: ValueType.U32, value: contextLength }],
    ['llama.embedding_length', { type: ValueType.U32, value: embedding }],
    ['llama.block_count', { type: ValueType.U32, value: layers }],
    ['llama.feed_forward_length', { type: ValueType.U32, value: feedForward }],
    ['llama.attention.head_count', { type: ValueType.U32, value: heads }],
    ['llama.attention.head_count_kv', { type: ValueType.U32, value: heads }],
    ['llama.rope.dimension_count', { type: ValueType.U32, value: embedding / heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: ValueType.F32, value: 1e-5 }],
    ['tokenizer.ggml.model', { type: ValueType.STRING, value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: ValueType.ARRAY, of: ValueType.STRING, value: tokens }],
    ['tokenizer.ggml.scores', { type: ValueType.ARRAY, of: ValueType.F32, value: tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { type: ValueType.ARRAY, of: ValueType.I32, value: types }],
    ['tokenizer.ggml.bos_token_id', { type: ValueType.U32, value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: ValueType.U32, value: 2 }],
    ['tokenizer.ggml.unknown_token_id', { type: ValueType.U32, value: 0 }],
    ['tokenizer.ggml.add_space_prefix', { type: ValueType.BOOL, value: false }],
  ];
  const tensors: { name: string; dims: number[]; fill?: number }[] = [
    { name: 'token_embd.weight', dims: [embedding, tokens.length] },
    { name: 'output_norm.weight', dims: [embedding], fill: 1 },
    { name: 'output.weight', dims: [embedding, tokens.length] },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push({ name: `${blk}.attn_norm.weight`, dims: [embedding], fill: 1 });
    for (const name of ['attn_q', 'attn_k', 'attn_v', 'attn_output']) tensors.push({ name: `${blk}.${name}.weight`, dims: [embedding, embedding] });
    tensors.push({ name: `${blk}.ffn_norm.weight`, dims: [embedding], fill: 1 });
    tensors.push({ name: `${blk}.ffn_gate.weight`, dims: [embedding, feedForward] });
    tensors.push({ name: `${blk}.ffn_up.weight`, dims: [embedding, feedForward] });
    tensors.push({ name: `${blk}.ffn_down.weight`, dims: [feedForward, embedding] });
  }

  const out = new Writer();
  out.raw(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    out.u32(value.type);
    if (value.type === ValueType.ARRAY) {
      out.u32(value.of);
      out.u64(value.value.length);
      for (const item of value.value) out.scalar(value.of, item);
    } else out.scalar(value.type, value.value);
  }
  let offset = 0;
  const placed = tensors.map((tensor) => {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    const at = offset;
    offset = align(offset + count * 4);
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_F32);
    out.u64(at);
    return { ...tensor, count, at };
  });
  const header = out.bytes();
  const data = Buffer.alloc(offset);
  const random = lcg(seed);
  for (const tensor of placed) {
    for (let i = 0; i < tensor.count; i++) data.writeFloatLE(tensor.fill ?? (random() - 0.5) * 0.2, tensor.at + i * 4);
  }
  writeFileSync(file, Buffer.concat([header, Buffer.alloc(align(header.length) - header.length), data]));
}

const align = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/** A small seeded generator (the weights need only be reproducible, not good). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

class Writer {
  private readonly parts: Buffer[] = [];
  raw(buffer: Buffer): void {
    this.parts.push(buffer);
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.parts.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.parts.push(b);
  }
  string(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.u64(bytes.length);
    this.parts.push(bytes);
  }
  scalar(type: ValueType, value: string | number | boolean): void {
    const b = Buffer.alloc(4);
    if (type === ValueType.STRING) return this.string(value as string);
    if (type === ValueType.BOOL) return this.raw(Buffer.from([value ? 1 : 0]));
    if (type === ValueType.U32) b.writeUInt32LE(value as number);
    else if (type === ValueType.I32) b.writeInt32LE(value as number);
    else b.writeFloatLE(value as number);
    this.parts.push(b);
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}
