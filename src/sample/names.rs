//! What the rows say: organisations' model families, synthetic handles, model names,
//! tags, and the JSON line itself.

use super::rng::Rng;
use super::world::{timestamp, START};
use super::{Derivative, Model, Registry, DAY};
use crate::snapshot::PLACEHOLDER_DATES;
use std::collections::HashSet;

/// The Hub's migration time, 2022-03-02T23:29:04Z: repositories created before it
/// carry one of `PLACEHOLDER_DATES` as their `createdAt`.
const PLACEHOLDER_TIME: i64 = 19_053 * DAY + 23 * 3600 + 29 * 60 + 4;

/// How an organisation publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Originals from its own families, sometimes a fine-tune of one of them.
    Maker,
    /// Quantizations of popular models.
    Quantizer,
    /// Fine-tunes and merges of popular models.
    Tuner,
}

/// What a model does: its pipeline tag, library and naming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Chat,
    Vision,
    Caption,
    Embed,
    Fill,
    Classify,
    Text2Text,
    Speech,
    Image,
    Video,
    Clip,
    ImageClass,
    Series,
    Translate,
    Qa,
    Rl,
}

impl Task {
    fn pipeline(self) -> &'static str {
        match self {
            Task::Chat => "text-generation",
            Task::Vision => "image-text-to-text",
            Task::Caption => "image-to-text",
            Task::Embed => "sentence-similarity",
            Task::Fill => "fill-mask",
            Task::Classify => "text-classification",
            Task::Text2Text => "text2text-generation",
            Task::Speech => "automatic-speech-recognition",
            Task::Image => "text-to-image",
            Task::Video => "text-to-video",
            Task::Clip => "zero-shot-image-classification",
            Task::ImageClass => "image-classification",
            Task::Series => "time-series-forecasting",
            Task::Translate => "translation",
            Task::Qa => "question-answering",
            Task::Rl => "reinforcement-learning",
        }
    }

    fn library(self) -> Option<&'static str> {
        match self {
            Task::Embed => Some("sentence-transformers"),
            Task::Image | Task::Video => Some("diffusers"),
            Task::Series => None,
            Task::Rl => Some("stable-baselines3"),
            _ => Some("transformers"),
        }
    }

    fn is_llm(self) -> bool {
        matches!(self, Task::Chat | Task::Vision)
    }

    fn sizes(self) -> &'static [&'static str] {
        match self {
            Task::Chat | Task::Vision => &[
                "0.5B", "1B", "1.5B", "3B", "4B", "7B", "8B", "14B", "32B", "70B",
            ],
            Task::Translate => &["en-de", "en-fr", "zh-en", "en-es", "ja-en", "de-en"],
            Task::Image | Task::Video => &["", "dev", "base", "turbo", "lite"],
            _ => &["small", "base", "large"],
        }
    }

    fn variants(self) -> &'static [&'static str] {
        match self {
            Task::Chat => &[
                "",
                "-Instruct",
                "-Base",
                "-Chat",
                "-it",
                "-Thinking",
                "-preview",
            ],
            Task::Vision => &["", "-Instruct"],
            Task::Image | Task::Video => &["", "-v1", "-diffusers"],
            _ => &[
                "",
                "-v2",
                "-v1.5",
                "-multilingual",
                "-en",
                "-zh",
                "-uncased",
            ],
        }
    }
}

/// A model family: name, first month (`YYYY-MM`), task, license.
pub type Family = (&'static str, &'static str, Task, &'static str);

/// How a registry organisation publishes in the generated world.
pub struct Profile {
    pub author: &'static str,
    /// Relative weight among its country's (or the independents') organisations,
    /// in spring 2025 and spring 2026.
    pub weights: (f64, f64),
    pub role: Role,
    /// The month it started uploading, if after the first models.
    pub from: Option<&'static str>,
    /// The month it stopped uploading.
    pub until: Option<&'static str>,
    pub families: &'static [Family],
}

const fn make(author: &'static str, w: (f64, f64), families: &'static [Family]) -> Profile {
    Profile {
        author,
        weights: w,
        role: Role::Maker,
        from: None,
        until: None,
        families,
    }
}

const fn upload(author: &'static str, w: (f64, f64), role: Role, from: &'static str) -> Profile {
    Profile {
        author,
        weights: w,
        role,
        from: Some(from),
        until: None,
        families: &[],
    }
}

use Task::*;
const A2: &str = "apache-2.0";

/// Registry organisations the generator knows; others publish generic models.
#[rustfmt::skip]
pub const PROFILES: &[Profile] = &[
    make("Qwen", (30.0, 45.0), &[("Qwen2", "2024-06", Chat, A2), ("Qwen2.5", "2024-09", Chat, A2), ("Qwen2.5-Coder", "2024-11", Chat, A2), ("Qwen2.5-VL", "2025-01", Vision, A2), ("Qwen3", "2025-04", Chat, A2), ("Qwen3-Embedding", "2025-06", Embed, A2), ("Qwen3-VL", "2025-10", Vision, A2)]),
    make("Alibaba-NLP", (3.0, 3.0), &[("gte", "2023-07", Embed, A2), ("gte-Qwen2", "2024-06", Embed, A2)]),
    make("Wan-AI", (0.5, 2.0), &[("Wan2.1-T2V", "2025-02", Video, A2), ("Wan2.2-T2V", "2025-07", Video, A2)]),
    make("deepseek-ai", (15.0, 18.0), &[("deepseek-coder", "2023-11", Chat, "other"), ("DeepSeek-V2", "2024-05", Chat, "other"), ("DeepSeek-V3", "2024-12", Chat, "mit"), ("DeepSeek-R1", "2025-01", Chat, "mit"), ("DeepSeek-R1-Distill-Qwen", "2025-01", Chat, "mit"), ("DeepSeek-V3.1", "2025-08", Chat, "mit")]),
    make("moonshotai", (1.0, 5.0), &[("Moonlight", "2025-02", Chat, "mit"), ("Kimi-VL", "2025-04", Vision, "mit"), ("Kimi-K2", "2025-07", Chat, "other")]),
    make("01-ai", (3.0, 1.0), &[("Yi", "2023-11", Chat, A2), ("Yi-1.5", "2024-05", Chat, A2)]),
    make("baichuan-inc", (2.0, 1.0), &[("Baichuan2", "2023-09", Chat, "other"), ("Baichuan-M1", "2025-01", Chat, "other")]),
    make("THUDM", (5.0, 1.0), &[("chatglm3", "2023-10", Chat, "other"), ("glm-4", "2024-06", Chat, "other"), ("GLM-4-0414", "2025-04", Chat, "mit")]),
    make("zai-org", (0.0, 5.0), &[("GLM-4.5", "2025-07", Chat, "mit"), ("GLM-4.6", "2025-09", Chat, "mit")]),
    make("internlm", (2.0, 2.0), &[("internlm2_5", "2024-07", Chat, "other"), ("internlm3", "2025-01", Chat, A2)]),
    make("OpenGVLab", (2.0, 2.0), &[("InternVL2_5", "2024-12", Vision, "mit"), ("InternVL3", "2025-04", Vision, A2)]),
    make("openbmb", (2.0, 2.0), &[("MiniCPM", "2024-02", Chat, A2), ("MiniCPM-V", "2024-05", Vision, A2)]),
    make("BAAI", (20.0, 12.0), &[("bge", "2023-08", Embed, "mit"), ("bge-reranker", "2023-09", Classify, A2), ("bge-m3", "2024-01", Embed, "mit")]),
    make("MiniMaxAI", (1.0, 2.0), &[("MiniMax-Text-01", "2025-01", Chat, "other"), ("MiniMax-M1", "2025-06", Chat, A2), ("MiniMax-M2", "2025-10", Chat, "mit")]),
    make("tencent", (1.0, 3.0), &[("Hunyuan", "2024-11", Chat, "other"), ("HunyuanVideo", "2024-12", Video, "other")]),
    make("baidu", (0.0, 2.0), &[("ERNIE-4.5", "2025-06", Chat, A2)]),
    make("stepfun-ai", (0.5, 1.0), &[("Step-Audio", "2025-02", Speech, A2), ("step3", "2025-07", Vision, A2)]),
    make("ByteDance-Seed", (0.5, 2.0), &[("UI-TARS", "2025-01", Vision, A2), ("Seed-OSS", "2025-08", Chat, A2)]),
    make("meta-llama", (30.0, 12.0), &[("Llama-2", "2023-07", Chat, "llama2"), ("Meta-Llama-3", "2024-04", Chat, "llama3"), ("Llama-3.1", "2024-07", Chat, "llama3.1"), ("Llama-3.2", "2024-09", Chat, "llama3.2"), ("Llama-3.3", "2024-12", Chat, "llama3.3"), ("Llama-4-Scout", "2025-04", Vision, "other")]),
    make("facebook", (8.0, 6.0), &[("bart", "2020-01", Text2Text, A2), ("wav2vec2", "2021-01", Speech, A2), ("opt", "2022-05", Chat, "other"), ("esm2", "2022-10", Fill, "mit"), ("dinov2", "2023-07", ImageClass, A2)]),
    make("FacebookAI", (6.0, 4.0), &[("roberta", "2020-01", Fill, "mit"), ("xlm-roberta", "2020-01", Fill, "mit")]),
    make("google", (12.0, 12.0), &[("vit", "2021-01", ImageClass, A2), ("flan-t5", "2022-10", Text2Text, A2), ("siglip", "2024-01", Clip, A2), ("gemma", "2024-02", Chat, "gemma"), ("gemma-2", "2024-06", Chat, "gemma"), ("gemma-3", "2025-03", Chat, "gemma"), ("embeddinggemma", "2025-09", Embed, "gemma")]),
    make("google-bert", (10.0, 7.0), &[("bert", "2020-01", Fill, A2)]),
    make("microsoft", (8.0, 7.0), &[("deberta-v3", "2021-11", Fill, "mit"), ("phi-2", "2023-12", Chat, "mit"), ("Phi-3", "2024-04", Chat, "mit"), ("Florence-2", "2024-06", Vision, "mit"), ("Phi-4", "2024-12", Chat, "mit")]),
    make("openai", (6.0, 8.0), &[("clip-vit", "2021-01", Clip, "mit"), ("whisper", "2022-09", Speech, A2), ("gpt-oss", "2025-08", Chat, A2)]),
    make("openai-community", (8.0, 5.0), &[("gpt2", "2020-01", Chat, "mit")]),
    make("nvidia", (4.0, 6.0), &[("parakeet", "2024-05", Speech, "cc-by-4.0"), ("Llama-3.1-Nemotron", "2024-10", Chat, "other"), ("NVIDIA-Nemotron-Nano", "2025-08", Chat, "other")]),
    make("ibm-granite", (1.0, 2.0), &[("granite-3.0", "2024-10", Chat, A2), ("granite-3.3", "2025-04", Chat, A2), ("granite-4.0", "2025-10", Chat, A2)]),
    make("apple", (1.0, 1.0), &[("OpenELM", "2024-04", Chat, "other"), ("FastVLM", "2025-05", Vision, "other")]),
    make("amazon", (2.0, 2.0), &[("chronos-t5", "2024-03", Series, A2), ("chronos-bolt", "2024-11", Series, A2)]),
    make("Salesforce", (1.0, 1.0), &[("blip-image-captioning", "2022-12", Caption, "bsd-3-clause")]),
    make("Snowflake", (1.0, 1.0), &[("snowflake-arctic-embed", "2024-04", Embed, A2)]),
    make("databricks", (0.5, 0.3), &[("dolly-v2", "2023-04", Chat, "mit")]),
    make("nomic-ai", (1.0, 1.0), &[("nomic-embed-text", "2024-02", Embed, A2)]),
    make("xai-org", (0.3, 0.3), &[("grok", "2024-03", Chat, A2)]),
    make("HuggingFaceTB", (2.0, 3.0), &[("SmolLM", "2024-07", Chat, A2), ("SmolLM2", "2024-10", Chat, A2), ("SmolVLM", "2024-11", Vision, A2), ("SmolLM3", "2025-07", Chat, A2)]),
    make("sentence-transformers", (15.0, 12.0), &[("all-MiniLM", "2021-06", Embed, A2), ("all-mpnet", "2021-06", Embed, A2), ("paraphrase-multilingual", "2021-06", Embed, A2)]),
    make("distilbert", (3.0, 2.0), &[("distilbert", "2020-01", Fill, A2)]),
    make("timm", (2.0, 2.0), &[("resnet50", "2022-11", ImageClass, A2), ("vit_base_patch16", "2022-11", ImageClass, A2)]),
    make("allenai", (1.0, 1.5), &[("OLMo", "2024-02", Chat, A2), ("OLMo-2", "2024-11", Chat, A2), ("olmOCR", "2025-02", Vision, A2)]),
    make("NousResearch", (1.0, 1.0), &[("Hermes-2-Pro", "2024-03", Chat, A2), ("Hermes-3-Llama-3.1", "2024-08", Chat, "llama3.1"), ("Hermes-4", "2025-08", Chat, A2)]),
    upload("unsloth", (3.0, 6.0), Role::Quantizer, "2023-12"),
    make("mistralai", (1.0, 1.0), &[("Mistral", "2023-09", Chat, A2), ("Mixtral", "2023-12", Chat, A2), ("Mistral-Nemo", "2024-07", Chat, A2), ("Mistral-Small-3.1", "2025-03", Chat, A2), ("Magistral-Small", "2025-06", Chat, A2), ("Voxtral-Mini", "2025-07", Speech, A2)]),
    make("black-forest-labs", (3.0, 3.0), &[("FLUX.1", "2024-08", Image, "other"), ("FLUX.1-Kontext", "2025-05", Image, "other")]),
    make("CompVis", (1.0, 0.5), &[("stable-diffusion-v1", "2022-08", Image, "creativeml-openrail-m")]),
    make("jinaai", (1.0, 1.0), &[("jina-embeddings-v2", "2023-10", Embed, A2), ("jina-embeddings-v3", "2024-09", Embed, "cc-by-nc-4.0")]),
    make("deepset", (0.5, 0.3), &[("roberta-squad2", "2020-01", Qa, "cc-by-4.0")]),
    make("laion", (0.5, 0.5), &[("CLIP-ViT", "2022-09", Clip, "mit")]),
    make("stabilityai", (1.0, 1.0), &[("stable-diffusion-xl", "2023-07", Image, "openrail++"), ("sd-turbo", "2023-11", Image, "other"), ("stable-diffusion-3.5", "2024-10", Image, "other")]),
    make("cardiffnlp", (0.5, 0.5), &[("twitter-roberta-sentiment", "2022-10", Classify, "cc-by-4.0")]),
    make("Helsinki-NLP", (1.0, 1.0), &[("opus-mt", "2020-01", Translate, A2)]),
    make("swiss-ai", (1.0, 1.0), &[("Apertus", "2025-09", Chat, A2)]),
    make("BSC-LT", (1.0, 1.0), &[("salamandra", "2024-09", Chat, A2)]),
    make("tiiuae", (1.0, 1.0), &[("falcon", "2023-05", Chat, A2), ("Falcon3", "2024-12", Chat, "other"), ("Falcon-H1", "2025-05", Chat, "other")]),
    make("CohereForAI", (1.0, 0.3), &[("aya-101", "2024-02", Text2Text, A2), ("c4ai-command-r", "2024-03", Chat, "cc-by-nc-4.0")]),
    make("CohereLabs", (1.0, 1.0), &[("aya-vision", "2025-04", Vision, "cc-by-nc-4.0"), ("command-a", "2025-04", Chat, "cc-by-nc-4.0")]),
    make("upstage", (1.0, 1.0), &[("SOLAR", "2023-12", Chat, A2), ("solar-pro", "2024-09", Chat, "mit")]),
    make("LGAI-EXAONE", (1.0, 1.0), &[("EXAONE-3.5", "2024-12", Chat, "other"), ("EXAONE-4.0", "2025-07", Chat, "other")]),
    make("SakanaAI", (1.0, 1.0), &[("EvoLLM-JP", "2024-03", Chat, "other")]),
    make("rinna", (1.0, 1.0), &[("japanese-gpt-neox", "2023-05", Chat, "mit")]),
    make("cyberagent", (1.0, 1.0), &[("open-calm", "2023-05", Chat, "cc-by-sa-4.0")]),
    make("ai21labs", (1.0, 1.0), &[("Jamba", "2024-03", Chat, A2)]),
    make("sarvamai", (1.0, 1.0), &[("sarvam-1", "2024-10", Chat, "other"), ("sarvam-m", "2025-05", Chat, A2)]),
    make("EleutherAI", (1.0, 1.0), &[("gpt-neo", "2021-03", Chat, "mit"), ("pythia", "2023-02", Chat, A2)]),
    make("bigscience", (1.0, 0.5), &[("bloom", "2022-07", Chat, "bigscience-bloom-rail-1.0"), ("bloomz", "2022-11", Chat, "bigscience-bloom-rail-1.0")]),
    upload("lmstudio-community", (2.0, 3.0), Role::Quantizer, "2024-04"),
    upload("mradermacher", (8.0, 12.0), Role::Quantizer, "2024-03"),
    upload("bartowski", (6.0, 6.0), Role::Quantizer, "2023-12"),
    Profile { until: Some("2024-01"), ..upload("TheBloke", (4.0, 1.0), Role::Quantizer, "2023-03") },
    upload("MaziyarPanahi", (2.0, 2.0), Role::Quantizer, "2023-10"),
    upload("QuantFactory", (2.0, 1.0), Role::Quantizer, "2024-04"),
    upload("LoneStriker", (1.0, 0.5), Role::Quantizer, "2023-09"),
    upload("DavidAU", (1.0, 3.0), Role::Tuner, "2024-02"),
    upload("TheDrummer", (1.0, 2.0), Role::Tuner, "2024-03"),
    upload("Sao10K", (1.0, 1.0), Role::Tuner, "2023-09"),
    upload("Undi95", (1.0, 0.5), Role::Tuner, "2023-08"),
    upload("mlabonne", (1.0, 1.0), Role::Tuner, "2023-07"),
    upload("cognitivecomputations", (1.0, 1.0), Role::Tuner, "2023-05"),
    upload("teknium", (0.5, 0.5), Role::Tuner, "2023-03"),
];

const FIRST: &[&str] = &[
    "alex", "maria", "wei", "yuki", "omar", "lena", "ravi", "sofia", "jun", "noah", "ana", "ivan",
    "mei", "lucas", "sara", "kenji", "amir", "nina", "tom", "hana", "diego", "elif", "arjun",
    "chen", "fatima", "jonas", "priya", "mateo", "olga", "sam",
];
const LAST: &[&str] = &[
    "kim", "li", "nguyen", "garcia", "smith", "mueller", "rossi", "tanaka", "patel", "silva",
    "cohen", "novak", "park", "wang", "lopez", "berg", "khan", "sato", "dubois", "ivanova",
];
const WORDS: &[&str] = &[
    "neural", "tensor", "quant", "vector", "token", "deep", "byte", "pixel", "sparse", "gradient",
    "latent", "matrix", "prompt", "sigma", "delta", "echo", "nova", "orbit", "cortex", "synth",
    "kernel", "lambda", "photon", "quark", "atlas", "ember", "maple", "cobalt", "zephyr", "lumen",
];
const TOPICS: &[&str] = &[
    "sft",
    "dpo",
    "orpo",
    "grpo",
    "medical",
    "legal",
    "finance",
    "code",
    "math",
    "roleplay",
    "chat",
    "alpaca",
    "ko",
    "ja",
    "vi",
    "ar",
    "tr",
    "reasoning",
    "function-calling",
    "summarization",
];
const DATASETS: &[&str] = &[
    "imdb",
    "sst2",
    "emotion",
    "squad",
    "conll2003",
    "cifar10",
    "food101",
    "mnist",
    "tweet-eval",
    "ag-news",
];
const LANGS: &[&str] = &[
    "ko", "ja", "vi", "ar", "hi", "de", "fr", "es", "pt", "id", "tr", "sw", "uk", "fa", "th",
];
const ENVS: &[&str] = &[
    "LunarLander-v2",
    "CartPole-v1",
    "SpaceInvadersNoFrameskip-v4",
    "Huggy",
    "SnowballTarget",
    "PandaReachDense-v3",
];

/// Synthetic authors not in the registry, some far more prolific than others.
pub struct Handles {
    pub names: Vec<String>,
    totals: Vec<f64>,
}

impl Handles {
    pub fn new(count: usize, registry: &Registry, rng: &mut Rng) -> Handles {
        let mut seen = HashSet::new();
        let mut names = Vec::with_capacity(count);
        while names.len() < count {
            let (a, b, w) = (rng.pick(FIRST), rng.pick(LAST), rng.pick(WORDS));
            let n = rng.below(1000);
            let name = match rng.below(7) {
                0 => format!("{a}{b}"),
                1 => format!("{a}-{w}"),
                2 => format!("{w}{n}"),
                3 => format!("{a}{n}"),
                4 => {
                    let v = rng.pick(WORDS);
                    format!("{}{}AI", capital(w), capital(v))
                }
                5 => format!("{w}-lab"),
                _ => format!("{}{}", &a[..1], b),
            };
            // The patterns hold some 60,000 names; past a clash, a name made
            // unique by its number (no pattern above ends in `-<number>`).
            let name = if registry.get(&name).is_some() || seen.contains(&name) {
                format!("{a}-{w}-{}", names.len())
            } else {
                name
            };
            seen.insert(name.clone());
            names.push(name);
        }
        let mut total = 0.0;
        let totals = (0..count)
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(0.85);
                total
            })
            .collect();
        Handles { names, totals }
    }

    pub fn pick(&self, rng: &mut Rng) -> usize {
        rng.cumulative(&self.totals)
    }
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// `Qwen2.5-7B-Instruct` from a family, a size and a variant.
pub fn family_model(family: &str, task: Task, rng: &mut Rng) -> String {
    let size = rng.pick(task.sizes());
    let variant = rng.pick(task.variants());
    let sep = if size.is_empty() { "" } else { "-" };
    format!("{family}{sep}{size}{variant}")
}

/// An original model by an unattributed author.
pub fn user_original(rng: &mut Rng) -> (String, Task) {
    let (w, l, d) = (rng.pick(WORDS), rng.pick(LANGS), rng.pick(DATASETS));
    let size = rng.pick(Task::Chat.sizes());
    match rng.below(10) {
        0 | 1 => (format!("distilbert-{d}-classifier"), Task::Classify),
        2 => (format!("ppo-{}", rng.pick(ENVS)), Task::Rl),
        3 => (format!("whisper-small-{l}"), Task::Speech),
        4 => (format!("{w}-diffusion"), Task::Image),
        5 => (format!("vit-{d}"), Task::ImageClass),
        6 => (format!("{w}-embed-{l}"), Task::Embed),
        7 => (format!("bert-{l}-ner"), Task::Fill),
        _ => (format!("{}-{size}", capital(w)), Task::Chat),
    }
}

pub fn user_license(rng: &mut Rng) -> Option<&'static str> {
    const LICENSES: &[(Option<&str>, f64)] = &[
        (Some("apache-2.0"), 0.35),
        (Some("mit"), 0.25),
        (None, 0.25),
        (Some("cc-by-4.0"), 0.05),
        (Some("openrail"), 0.05),
        (Some("other"), 0.05),
    ];
    LICENSES[rng.weighted(LICENSES.iter().map(|l| l.1))].0
}

/// Original models a derivative can be made from, weighted by downloads^0.75 times
/// their publisher's weight (the labs of the moment are built on most), in three
/// pools: chat models (merges), LLMs (quantizations) and all.
pub struct Bases {
    pools: [(Vec<usize>, Vec<f64>); 3],
}

impl Bases {
    pub fn new(models: &[Option<Model>], weights: &[f64]) -> Bases {
        let mut pools: [(Vec<usize>, Vec<f64>); 3] = Default::default();
        for (i, model) in models.iter().enumerate() {
            let Some(model) = model else { continue };
            let w = (model.downloads as f64 + 1.0).powf(0.75) * weights[i];
            let member = [model.task == Task::Chat, model.task.is_llm(), true];
            for (pool, member) in pools.iter_mut().zip(member) {
                if member {
                    pool.0.push(i);
                    pool.1.push(pool.1.last().copied().unwrap_or(0.0) + w);
                }
            }
        }
        Bases { pools }
    }

    /// A base for a derivative of `kind` made before `time`, if there is any.
    /// Prolific uploaders (`uploader`) work on chat models only.
    pub fn pick(
        &self,
        kind: Derivative,
        uploader: bool,
        time: i64,
        models: &[Option<Model>],
        rng: &mut Rng,
    ) -> Option<usize> {
        let first = match kind {
            Derivative::Merge => 0,
            _ if uploader => 0,
            Derivative::Quantized => 1,
            _ => 2,
        };
        let (ids, totals) = self.pools[first..].iter().find(|p| !p.0.is_empty())?;
        let before = |i: usize| models[i].as_ref().is_some_and(|m| m.created < time - DAY);
        for _ in 0..16 {
            let i = ids[rng.cumulative(totals)];
            if before(i) {
                return Some(i);
            }
        }
        // The most downloaded base old enough, else any.
        ids.iter()
            .copied()
            .find(|&i| before(i))
            .or(ids.first().copied())
    }
}

/// One of `ids` (uniformly) made before `time`, else any of them.
pub fn pick_before(
    ids: &[usize],
    time: i64,
    models: &[Option<Model>],
    rng: &mut Rng,
) -> Option<usize> {
    let before = |i: usize| models[i].as_ref().is_some_and(|m| m.created < time - DAY);
    for _ in 0..8 {
        let i = *ids.get(rng.below(ids.len().max(1)))?;
        if before(i) {
            return Some(i);
        }
    }
    ids.iter()
        .copied()
        .find(|&i| before(i))
        .or(ids.first().copied())
}

/// A derivative's name, and its library when it differs from the base's.
pub fn derivative_name(
    kind: Derivative,
    base: &Model,
    maker: bool,
    rng: &mut Rng,
) -> (String, Option<Option<&'static str>>) {
    let short = stem(base.id.rsplit('/').next().unwrap_or(&base.id));
    let topic = rng.pick(TOPICS);
    match kind {
        Derivative::Quantized => {
            const QUANTS: &[(&str, Option<&str>, f64)] = &[
                ("GGUF", None, 0.55),
                ("i1-GGUF", None, 0.15),
                ("AWQ", Some("transformers"), 0.07),
                ("GPTQ-Int4", Some("transformers"), 0.06),
                ("bnb-4bit", Some("transformers"), 0.08),
                ("FP8", Some("transformers"), 0.04),
                ("4bit", Some("mlx"), 0.05),
            ];
            let (suffix, library, _) = QUANTS[rng.weighted(QUANTS.iter().map(|q| q.2))];
            (format!("{short}-{suffix}"), Some(library))
        }
        Derivative::Adapter => (format!("{short}-lora-{topic}"), Some(Some("peft"))),
        Derivative::Merge => {
            let size = short
                .split('-')
                .find(|t| t.ends_with('B') && t.starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or("7B");
            let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
            (format!("{}{}-{size}-slerp", capital(a), capital(b)), None)
        }
        _ if maker => {
            let stem = base.task.variants().iter().fold(short, |stem, v| {
                stem.strip_suffix(v)
                    .filter(|_| !v.is_empty())
                    .unwrap_or(stem)
            });
            let suffix = if base.task.is_llm() {
                *rng.pick(&["Instruct", "it", "Chat", "Thinking"])
            } else {
                *rng.pick(&["ft", "v1.5", "finetuned"])
            };
            (format!("{stem}-{suffix}"), None)
        }
        _ => {
            let version = rng.pick(&["", "", "-v0.1", "-v2", "-merged", "-16bit"]);
            (format!("{short}-{topic}{version}"), None)
        }
    }
}

/// A name without the `-2409` / `-v2` suffixes that kept it unique.
fn stem(name: &str) -> &str {
    let mut name = name;
    for digits_only in [false, true] {
        if let Some((head, tail)) = name.rsplit_once('-') {
            let tail = if digits_only {
                Some(tail)
            } else {
                tail.strip_prefix('v')
            };
            let numeric = tail.is_some_and(|t| {
                !t.is_empty()
                    && t.bytes().all(|b| b.is_ascii_digit())
                    && (!digits_only || t.len() == 4)
            });
            if numeric {
                name = head;
            }
        }
    }
    name
}

/// Hub API entry shape, in the API's field order.
#[derive(serde::Serialize)]
struct Row<'a> {
    #[serde(rename = "_id")]
    object_id: String,
    id: &'a str,
    author: &'a str,
    downloads: u64,
    #[serde(rename = "downloadsAllTime")]
    downloads_all_time: u64,
    likes: u64,
    #[serde(rename = "trendingScore")]
    trending_score: u64,
    private: bool,
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pipeline_tag: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    library_name: Option<&'a str>,
    #[serde(rename = "createdAt")]
    created_at: String,
    #[serde(rename = "modelId")]
    model_id: &'a str,
}

/// Appends `model` as one JSON line.
pub fn write_row(out: &mut String, model: &Model, date: i64, rng: &mut Rng) {
    let library = model.library.unwrap_or(model.task.library());
    let gguf = model.id.ends_with("GGUF");
    let mut tags: Vec<String> = Vec::with_capacity(12);
    tags.extend(library.map(str::to_owned));
    tags.push(if gguf { "gguf" } else { "safetensors" }.to_owned());
    tags.push(model.task.pipeline().to_owned());
    if model.task == Task::Chat {
        tags.push("conversational".to_owned());
    }
    if rng.chance(0.15) {
        tags.push(format!("dataset:{}", rng.pick(DATASETS)));
    }
    if let Some((kind, base)) = &model.base {
        match kind {
            Derivative::Merge => tags.extend(["mergekit".to_owned(), "merge".to_owned()]),
            Derivative::Adapter => tags.push("lora".to_owned()),
            _ => {}
        }
        tags.push(format!("base_model:{base}"));
        tags.push(format!("base_model:{}:{base}", kind.as_str()));
    }
    tags.extend(model.license.map(|l| format!("license:{l}")));
    if library == Some("transformers") {
        tags.push("endpoints_compatible".to_owned());
    }
    tags.push("region:us".to_owned());

    let likes = (model.downloads as f64).powf(0.55) * (0.9 * rng.normal()).exp() / 8.0;
    let likes = likes.floor() as u64;
    let recent = date - model.created < 30 * 86_400;
    // `model.downloads` counts all time; the last 30 days are a share of it that
    // shrinks with the model's age (all of it for a model younger than a month).
    let last_30_days = super::hub::last_30_days(model.downloads, date - model.created, rng);
    // The Hub gave every repository older than March 2022 its migration date.
    let created_at = if model.created < PLACEHOLDER_TIME {
        PLACEHOLDER_DATES[usize::from(rng.chance(0.5))].to_owned()
    } else {
        timestamp(model.created)
    };
    let row = Row {
        object_id: format!("{:08x}{:016x}", model.created.max(START), rng.next_u64()),
        id: &model.id,
        author: &model.author,
        downloads: last_30_days,
        downloads_all_time: model.downloads,
        likes,
        trending_score: if recent { likes / 3 } else { 0 },
        private: false,
        tags,
        pipeline_tag: Some(model.task.pipeline()),
        library_name: if gguf { None } else { library },
        created_at,
        model_id: &model.id,
    };
    out.push_str(&serde_json::to_string(&row).unwrap_or_default());
    out.push('\n');
}
