// Package aikeys recognizes AI provider API keys by their published formats,
// so that a connector can note that a value is an AI key without keeping the
// value. It returns only the provider's name; callers keep at most a hint.
package aikeys

import "regexp"

// pattern is one provider's key format. Formats are those the providers
// document or that their secret-scanning partners match on.
type pattern struct {
	Provider string
	re       *regexp.Regexp
}

var patterns = []pattern{
	{"anthropic_api_key", regexp.MustCompile(`\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,}`)},
	{"openai_api_key", regexp.MustCompile(`\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}`)},
	{"openai_api_key", regexp.MustCompile(`\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}`)},
	{"google_gemini_api_key", regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`)},
	{"huggingface_token", regexp.MustCompile(`\bhf_[A-Za-z0-9]{34,}\b`)},
	{"groq_api_key", regexp.MustCompile(`\bgsk_[A-Za-z0-9]{48,}\b`)},
	{"xai_api_key", regexp.MustCompile(`\bxai-[A-Za-z0-9]{70,}\b`)},
	{"perplexity_api_key", regexp.MustCompile(`\bpplx-[A-Za-z0-9]{40,}\b`)},
	{"openrouter_api_key", regexp.MustCompile(`\bsk-or-v1-[a-f0-9]{64}\b`)},
	{"replicate_api_token", regexp.MustCompile(`\br8_[A-Za-z0-9]{37,}\b`)},
	{"langchain_api_key", regexp.MustCompile(`\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b`)},
	{"deepseek_api_key", regexp.MustCompile(`\bsk-[a-f0-9]{32}\b`)},
}

// Match returns the provider whose key format value contains, or "".
func Match(value string) string {
	if len(value) < 20 {
		return ""
	}
	for _, p := range patterns {
		if p.re.MatchString(value) {
			return p.Provider
		}
	}
	return ""
}

// aiNames are substrings of variable and secret names that say the value is
// an AI provider credential.
var aiName = regexp.MustCompile(`(?i)(OPENAI|ANTHROPIC|CLAUDE|GEMINI|MISTRAL|COHERE|GROQ|HUGGING_?FACE|HF_TOKEN|XAI_|GROK|PERPLEXITY|DEEPSEEK|OPENROUTER|REPLICATE|LANGCHAIN|LANGSMITH|AZURE_OPENAI|BEDROCK|VERTEX_AI|TOGETHER_API|FIREWORKS_API|ELEVENLABS|PINECONE|COPILOT)`)

// NameSuggestsAIKey reports whether a secret or variable name looks like it
// holds an AI provider credential.
func NameSuggestsAIKey(name string) bool { return aiName.MatchString(name) }
