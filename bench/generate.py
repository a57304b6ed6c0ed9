"""Generate N realistic request specs, deterministically, for the benchmark.

Each spec is what a team keeps: a multi-turn conversation with multi-KB content,
tools with JSON-schema parameters, provider routing, plugins and reasoning. Sizes
spread over 1–10 KB. About one spec in fifty carries a mistake (a typo'd field or
a wrong type), so the slow, human-readable validation path is exercised too.

    python bench/generate.py OUT_DIR --count 2000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

MODELS = [
    "anthropic/claude-sonnet-4.6", "openai/gpt-5.2", "google/gemini-3-flash-preview",
    "meta-llama/llama-3.3-70b-instruct", "deepseek/deepseek-v3.2", "mistralai/mistral-large",
    "qwen/qwen3-235b-a22b", "x-ai/grok-4",
]
PROVIDERS = ["Anthropic", "OpenAI", "Google", "Together", "Fireworks", "DeepInfra", "Groq"]
WORDS = ("the customer order invoice refund shipping delay account password reset summary report "
         "quarterly revenue growth forecast churn retention cohort analysis product feature request "
         "bug crash login error timeout latency region database migration schema index query "
         "contract clause liability renewal termination notice payment schedule").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    while sum(len(p) for p in parts) < size:
        parts.append(sentence(rng, rng.randint(6, 18)))
    return " ".join(parts)


def tool(rng: random.Random, index: int) -> dict:
    props = {
        f"field_{i}": {"type": rng.choice(["string", "integer", "boolean"]), "description": sentence(rng, 6)}
        for i in range(rng.randint(2, 6))
    }
    props["mode"] = {"type": "string", "enum": ["fast", "thorough", "balanced"]}
    return {
        "type": "function",
        "function": {
            "name": f"lookup_{index}_{rng.choice(WORDS)}",
            "description": sentence(rng, 12),
            "parameters": {"type": "object", "properties": props, "required": sorted(props)[:2]},
        },
    }


def spec(rng: random.Random, index: int) -> dict:
    target = rng.randint(600, 5000)
    request: dict = {"model": rng.choice(MODELS)}
    if rng.random() < 0.4:
        request["models"] = rng.sample([m for m in MODELS if m != request["model"]], 2)
    messages = [{"role": "system", "content": paragraph(rng, rng.randint(200, 800))}]
    tools = [tool(rng, i) for i in range(rng.randint(0, 3))]
    turn = 0
    while len(json.dumps(messages)) + len(json.dumps(tools)) < target - 300:
        messages.append({"role": "user", "content": paragraph(rng, rng.randint(150, 1500))})
        if tools and rng.random() < 0.3:
            call_id = f"call_{index}_{turn}"
            messages.append({"role": "assistant", "content": None, "tool_calls": [{
                "id": call_id, "type": "function",
                "function": {"name": tools[0]["function"]["name"], "arguments": json.dumps({"mode": "fast"})}}]})
            messages.append({"role": "tool", "tool_call_id": call_id, "content": paragraph(rng, 300)})
        messages.append({"role": "assistant", "content": paragraph(rng, rng.randint(100, 900))})
        turn += 1
    messages.append({"role": "user", "content": sentence(rng, 14)})
    request["messages"] = messages
    if tools:
        request["tools"] = tools
    provider: dict = {}
    if rng.random() < 0.5:
        provider["order"] = rng.sample(PROVIDERS, 2)
        provider["allow_fallbacks"] = True
    if rng.random() < 0.3:
        provider["sort"] = rng.choice(["price", "throughput", "latency"])
    if rng.random() < 0.2:
        provider["data_collection"] = "deny"
    if provider:
        request["provider"] = provider
    if rng.random() < 0.3:
        request["reasoning"] = {"effort": rng.choice(["low", "medium", "high"])}
    if rng.random() < 0.2:
        request["plugins"] = [{"id": "file-parser", "pdf": {"engine": "mistral-ocr"}}]
    request["temperature"] = round(rng.uniform(0, 1.2), 2)
    request["max_completion_tokens"] = rng.choice([256, 512, 1024, 2048])
    if rng.random() < 0.2:
        request["stream"] = True
    if index % 50 == 49:  # the occasional mistake
        if rng.random() < 0.5:
            request["temprature"] = request.pop("temperature")
        else:
            request["max_completion_tokens"] = "lots"
    return {"name": f"bench-{index:05d}", "description": sentence(rng, 8), "request": request}


def to_yaml(data: dict) -> str:
    from ruamel.yaml import YAML
    import io

    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` specs under `out` (in subfolders of 500); return their paths."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        folder = out / f"team{index // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"spec_{index:05d}.yaml"
        path.write_text(to_yaml(spec(rng, index)))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} specs, {total / 1e6:.1f} MB, into {args.out}")


if __name__ == "__main__":
    main()
