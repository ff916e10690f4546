// Package buildinfo says which liaisond this is: the module version and the
// version-control revision the binary was built from, as the Go toolchain
// stamps them (runtime/debug.ReadBuildInfo). A build without that stamp (a
// container built without .git) can set them with -ldflags
// "-X github.com/ietf-tools/liaisond/internal/buildinfo.version=v1.2.3
// -X github.com/ietf-tools/liaisond/internal/buildinfo.revision=abc123".
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Set by -ldflags -X when the toolchain's stamp is missing or should be
// overridden.
var version, revision string

// Info describes a build.
type Info struct {
	// Version is the module version ("v1.4.0"), or "(devel)" for a build
	// from a checkout.
	Version string
	// Revision is the VCS commit; Time its commit time (RFC 3339); both
	// empty when the build was not stamped.
	Revision, Time string
	// Modified says the tree had uncommitted changes.
	Modified bool
	// GoVersion is the toolchain that built the binary.
	GoVersion string
}

// Read returns the running binary's build information (computed once).
var Read = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, version, revision)
})

// fromBuildInfo extracts Info from the toolchain's stamp, letting the
// -ldflags overrides win.
func fromBuildInfo(bi *debug.BuildInfo, ldVersion, ldRevision string) Info {
	i := Info{Version: "(devel)", GoVersion: runtime.Version()}
	if bi != nil {
		if bi.Main.Version != "" {
			i.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			i.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Revision = s.Value
			case "vcs.time":
				i.Time = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if ldVersion != "" {
		i.Version = ldVersion
	}
	if ldRevision != "" {
		i.Revision = ldRevision
	}
	return i
}

// ShortRevision is the first 12 characters of the revision.
func (i Info) ShortRevision() string {
	if len(i.Revision) > 12 {
		return i.Revision[:12]
	}
	return i.Revision
}

// String is the one-line form `liaisond version` prints, e.g.
// "liaisond v1.4.0 (revision 3f2a9c1d8e7b, 2026-11-28T10:00:00Z, modified) go1.26.8 linux/amd64".
func (i Info) String() string {
	s := "liaisond " + i.Version
	if i.Revision != "" {
		s += " (revision " + i.ShortRevision()
		if i.Time != "" {
			s += ", " + i.Time
		}
		if i.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return fmt.Sprintf("%s %s %s/%s", s, i.GoVersion, runtime.GOOS, runtime.GOARCH)
}
