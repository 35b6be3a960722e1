package findings

// Levels order privilege tiers, severities and risk levels alike.
const (
	LevelNone     = "none"
	LevelInfo     = "info"
	LevelLow      = "low"
	LevelMedium   = "medium"
	LevelHigh     = "high"
	LevelCritical = "critical"
)

var levelRank = map[string]int{LevelNone: 0, LevelInfo: 1, LevelLow: 2, LevelMedium: 3, LevelHigh: 4, LevelCritical: 5}

// Rank orders levels; unknown levels rank lowest.
func Rank(level string) int { return levelRank[level] }

// ValidSeverity reports whether s names a severity (info..critical).
func ValidSeverity(s string) bool { r, ok := levelRank[s]; return ok && r >= 1 }

func maxLevel(a, b string) string {
	if Rank(b) > Rank(a) {
		return b
	}
	return a
}

func raise(level string) string {
	switch level {
	case LevelLow:
		return LevelMedium
	case LevelMedium:
		return LevelHigh
	case LevelHigh, LevelCritical:
		return LevelCritical
	}
	return level
}

// Severities lists severities from most to least severe.
var Severities = []string{LevelCritical, LevelHigh, LevelMedium, LevelLow, LevelInfo}
