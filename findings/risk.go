package findings

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:embed data/risk.json
var riskJSON []byte

type riskModel struct {
	Version   string         `json:"version"`
	Privilege map[string]int `json:"privilege"`
	Factors   map[string]int `json:"factors"`
	Worst     map[string]int `json:"worst_finding"`
	Levels    map[string]int `json:"levels"`
}

var model = func() riskModel {
	var m riskModel
	if err := json.Unmarshal(riskJSON, &m); err != nil {
		panic(fmt.Sprintf("risk model: %v", err))
	}
	return m
}()

// ScoringVersion is stamped in every report so scores can be compared.
func ScoringVersion() string { return model.Version }

// Risk is an identity's score with its breakdown.
type Risk struct {
	Score   int      `json:"score"`
	Level   string   `json:"level"`
	Factors []string `json:"factors"`
}

func scoreRisk(s *Subject, factors map[string]bool, worst string) Risk {
	r := Risk{Factors: []string{}}
	add := func(name string, w int) {
		if w == 0 {
			return
		}
		r.Score += w
		r.Factors = append(r.Factors, fmt.Sprintf("%s (+%d)", name, w))
	}
	add("privilege "+s.Privilege.Level, model.Privilege[s.Privilege.Level])
	if s.AI.IsAI {
		add("ai_agent", model.Factors["ai_agent"])
	}
	if s.Origin == "third_party" {
		add("third_party", model.Factors["third_party"])
	}
	names := make([]string, 0, len(factors))
	for f := range factors {
		names = append(names, f)
	}
	sort.Slice(names, func(i, j int) bool {
		wi, wj := model.Factors[names[i]], model.Factors[names[j]]
		if wi != wj {
			return wi > wj
		}
		return names[i] < names[j]
	})
	for _, f := range names {
		add(f, model.Factors[f])
	}
	if worst != "" {
		add("worst finding "+worst, model.Worst[worst])
	}
	if r.Score > 100 {
		r.Score = 100
	}
	r.Level = LevelInfo
	for _, l := range []string{LevelCritical, LevelHigh, LevelMedium, LevelLow} {
		if r.Score >= model.Levels[l] {
			r.Level = l
			break
		}
	}
	return r
}
