package config

import (
	"reflect"
	"strings"
)

// RestartNeeded lists the keys whose values differ between the config a
// daemon started with and a reloaded one, and that a reload (SIGHUP)
// cannot apply because the daemon reads them once at start: data_dir,
// log.*, http.listen, http.tokens_file, http.users_file, control.*, and the imap and
// smtp connection settings (every imap.* key; every smtp.* key but
// smtp.from). Everything else applies at once. The keys are listed in file
// order of the sections, "imap" or "smtp" alone when the section was added
// or removed.
func RestartNeeded(started, reloaded *Config) []string {
	var keys []string
	diff := func(key string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			keys = append(keys, key)
		}
	}
	diff("data_dir", started.DataDir, reloaded.DataDir)
	diff("log.format", started.Log.Format, reloaded.Log.Format)
	diff("log.level", started.Log.Level, reloaded.Log.Level)
	diff("http.listen", started.HTTP.Listen, reloaded.HTTP.Listen)
	diff("http.tokens_file", started.HTTP.TokensFile, reloaded.HTTP.TokensFile)
	diff("http.users_file", started.HTTP.UsersFile, reloaded.HTTP.UsersFile)
	diff("control.socket", started.Control.Socket, reloaded.Control.Socket)
	diff("control.group", started.Control.Group, reloaded.Control.Group)
	keys = append(keys, sectionDiff("imap", started.IMAP, reloaded.IMAP, nil)...)
	keys = append(keys, sectionDiff("smtp", started.SMTP, reloaded.SMTP, map[string]bool{"from": true})...)
	return keys
}

// sectionDiff compares two optional sections key by key (their yaml
// tags, inline structs flattened), leaving out the keys in reloads.
func sectionDiff[T any](name string, a, b *T, reloads map[string]bool) []string {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil:
		return []string{name}
	}
	var keys []string
	var walk func(x, y reflect.Value)
	walk = func(x, y reflect.Value) {
		for i := range x.NumField() {
			f := x.Type().Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			switch {
			case f.Anonymous:
				walk(x.Field(i), y.Field(i))
			case tag == "" || tag == "-" || reloads[tag]:
			case !reflect.DeepEqual(x.Field(i).Interface(), y.Field(i).Interface()):
				keys = append(keys, name+"."+tag)
			}
		}
	}
	walk(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
	return keys
}
