// Package registry is the one explicit list of shadowscan's connectors.
// Adding a connector is one line here plus its package.
package registry

import (
	"github.com/shadowscan/shadowscan/connectors"
	"github.com/shadowscan/shadowscan/connectors/entra"
	"github.com/shadowscan/shadowscan/connectors/github"
	"github.com/shadowscan/shadowscan/connectors/okta"
)

// All describes every connector, in the order `shadowscan connectors` prints them.
func All() []connectors.Info {
	return []connectors.Info{
		github.Info(),
		entra.Info(),
		okta.Info(),
	}
}
