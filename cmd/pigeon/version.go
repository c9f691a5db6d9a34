package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionInfo is what `pigeon version --json` prints.
type versionInfo struct {
	Version  string `json:"version"`            // the module version ("(devel)" for a local build without VCS data)
	Revision string `json:"revision,omitempty"` // VCS revision the binary was built from
	Time     string `json:"time,omitempty"`     // of that revision
	Modified bool   `json:"modified,omitempty"` // built with uncommitted changes
	Go       string `json:"go"`
}

// buildVersion reads the version from the binary's build information.
func buildVersion() versionInfo {
	v := versionInfo{Version: "(unknown)", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Version = bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

func cmdVersion(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("version", args, 0, 0, ""); err != nil {
		return err
	}
	v := buildVersion()
	if a.json {
		return a.printJSON(v)
	}
	line := "pigeon " + v.Version
	if v.Revision != "" {
		line += " revision " + v.Revision
		if v.Modified {
			line += " (modified)"
		}
	}
	fmt.Fprintln(a.stdout, line+" "+v.Go)
	return nil
}
