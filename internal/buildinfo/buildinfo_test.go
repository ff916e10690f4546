package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/ietf-tools/liaisond", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "3f2a9c1d8e7b55aa00112233445566778899aabb"},
			{Key: "vcs.time", Value: "2026-11-28T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	checkout := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/ietf-tools/liaisond", Version: "(devel)"}}
	tests := []struct {
		name       string
		bi         *debug.BuildInfo
		ldV, ldRev string
		want       string
	}{
		{"release build stamped by the toolchain", stamped, "", "", "liaisond v1.4.0 (revision 3f2a9c1d8e7b, 2026-11-28T10:00:00Z, modified) go1.26.8"},
		{"checkout without VCS stamp", checkout, "", "", "liaisond (devel) go1.26.8"},
		{"container build with -ldflags", checkout, "v1.4.1", "0123456789abcdef", "liaisond v1.4.1 (revision 0123456789ab) go1.26.8"},
		{"no build info at all", nil, "", "", "liaisond (devel) " + runtime.Version()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fromBuildInfo(tt.bi, tt.ldV, tt.ldRev).String()
			if !strings.HasPrefix(got, tt.want+" ") || !strings.HasSuffix(got, runtime.GOOS+"/"+runtime.GOARCH) {
				t.Errorf("got %q, want %q followed by the platform", got, tt.want)
			}
		})
	}
}
