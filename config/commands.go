package config

// Commands configures mail commands: managers answer a notice with a
// command ("ack", "delay 2027-05-01 <reason>", ...) on its first line.
// Without this section commands are disabled and notices carry no reply
// token.
type Commands struct {
	// SecretFile holds the HMAC key that signs the per-statement reply
	// tokens; absolute after loading. It is read once at startup (and on
	// reload), never logged.
	SecretFile string `yaml:"secret_file"`
	// Secret is where the key is kept (SecretFile); read it with
	// Secret.Read.
	Secret Secret `yaml:"-"`
}

func (m *Commands) setDefaults(c *Config) {
	if m.SecretFile != "" {
		m.SecretFile = c.resolve(m.SecretFile)
		m.Secret = Secret{File: m.SecretFile}
	}
}

func (m *Commands) validate(v *checker) {
	v.required("commands.secret_file", m.SecretFile)
}
