// Writes Fixtures/cl100k-subset/: a few-kilobyte slice of OpenAI's cl100k_base ranks and the ids tiktoken itself
// (the npm package "tiktoken", the Rust crate compiled to WebAssembly, which ships cl100k_base) gives for texts full
// of characters above U+FFFF. The slice keeps the 256 single bytes and every cl100k token that is a byte substring of
// one of the texts, with its real rank; byte-pair encoding of a piece only ever looks up substrings of that piece,
// so encoding the texts with the slice gives the same ids as with the full file, whatever the pre-tokenizer does.
//
// Regenerate: cd scripts/tokenizer-references && npm install && node make_cl100k_subset.mjs
import { createRequire } from "module";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const require = createRequire(import.meta.url);
const { get_encoding } = require("tiktoken");
const cl100k = require("tiktoken/encoders/cl100k_base.json");
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../../tests/Pipeline.Tokenizers.Tests/Fixtures/cl100k-subset");

const texts = [
  "𝐀𝐁's",
  "it𝐀's",
  "Y𐐀.Y",
  "𝟙𝟙12",
  "𝟙𝟙𝟙𝟙12",
  "𠮷野家 serves 𠮷 food",
  "Deseret 𐐀𐐁𐐂 word's end",
  "x = 𝟘𝟙𝟚𝟛𝟜 + 123456",
  "I'm 𝐁𝐨𝐥𝐝 and 𝑖𝑡𝑎𝑙𝑖𝑐!\n\n  ok",
  "emoji 😀👍🏽 and flags 🇺🇸!",
  "Hello, world! It's 2024.",
];

// bpe_ranks lines are "<first token> <first rank> <base64 token> <base64 token> …" with consecutive ranks.
const ranks = new Map();
for (const line of cl100k.bpe_ranks.split("\n")) {
  if (!line) continue;
  const parts = line.split(" ");
  const first = parseInt(parts[1], 10);
  parts.slice(2).forEach((token, i) => ranks.set(token, first + i));
}

const kept = new Map();
for (let b = 0; b < 256; b++) {
  const token = Buffer.from([b]).toString("base64");
  kept.set(token, ranks.get(token));
}
for (const text of texts) {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    for (let j = i + 1; j <= bytes.length; j++) {
      const token = bytes.subarray(i, j).toString("base64");
      if (ranks.has(token)) kept.set(token, ranks.get(token));
    }
  }
}

const encoding = get_encoding("cl100k_base");
const cases = texts.map((text) => ({ text, ids: Array.from(encoding.encode(text)) }));
encoding.free();

fs.mkdirSync(out, { recursive: true });
const lines = [...kept.entries()].sort((a, b) => a[1] - b[1]).map(([token, rank]) => `${token} ${rank}\n`);
fs.writeFileSync(path.join(out, "cl100k_subset.tiktoken"), lines.join(""));
const body = cases.map((c) => "    " + JSON.stringify(c)).join(",\n");
fs.writeFileSync(path.join(out, "reference_encodings.json"),
  `{\n  "generator": "tiktoken 1.0.22 (npm), get_encoding(\\"cl100k_base\\").encode",\n  "cases": [\n${body}\n  ]\n}\n`);
console.log(`kept ${kept.size} ranks, wrote ${cases.length} cases`);
