package aikeys

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"sk-proj-" + strings.Repeat("a1B2", 12), "openai_api_key"},
		{"sk-ant-api03-" + strings.Repeat("x", 90), "anthropic_api_key"},
		{"AIza" + strings.Repeat("Z", 35), "google_gemini_api_key"},
		{"hf_" + strings.Repeat("q", 34), "huggingface_token"},
		{"gsk_" + strings.Repeat("k", 52), "groq_api_key"},
		{"octocat@github.com", ""},
		{"true", ""},
		{"sk-short", ""},
		{"https://api.openai.com/v1", ""},
	}
	for _, tt := range tests {
		if got := Match(tt.in); got != tt.want {
			t.Errorf("Match(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNameSuggestsAIKey(t *testing.T) {
	for name, want := range map[string]bool{"OPENAI_API_KEY": true, "anthropic_key": true, "HF_TOKEN": true, "GH_TOKEN": false, "DEPLOY_TOKEN": false, "USERNAME": false} {
		if got := NameSuggestsAIKey(name); got != want {
			t.Errorf("NameSuggestsAIKey(%q) = %v", name, got)
		}
	}
}
