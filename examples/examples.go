// Package examples embeds the shipped example configuration so that
// `liaisond demo` runs on the same routing table the documentation shows.
package examples

import _ "embed"

// Config is examples/liaisond.yaml.
//
//go:embed liaisond.yaml
var Config []byte
