package node_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// The embedding API speaks the node's own types: node/core's IDs,
// messages and events, and each feature's own types. These are the
// packages whose exported API TestAPITypes reads.
var apiPackages = []string{
	"node", "node/core",
	"node/chats", "node/contacts", "node/groups", "node/media", "node/presence", "node/relays",
}

// apiAllowed are the exported names that may mention the protocol's, the
// store's or libp2p's types, and why.
var apiAllowed = map[string]string{
	// Network addresses people copy and type (bootstrap peers, relays):
	// libp2p's peer IDs and multiaddrs are their vocabulary.
	"node.Info.PeerID":            "a peer ID people share",
	"node.Info.Addrs":             "multiaddrs people pass as bootstrap addresses",
	"node.Status.CircuitAddrs":    "multiaddrs through relays, shown to people",
	"node.BootstrapStatus.PeerID": "the peer ID of a bootstrap address people typed",
	"node.ParseAddrInfos":         "parses the multiaddrs people type",
	// Escape hatches to the layers below, for relays and tests that run
	// beside a node.
	"node.DHTOptions": "the DHT settings node/relay shares with nodes",
	"node.Node.Host":  "the libp2p host, for protocols run beside Pigeon's",
	// Contract methods other features and node's wiring call (the
	// design's cross-feature contracts), documented as wiring.
	"contacts.Service.IdentityChanged": "wiring: the runtime reports a changed identity",
	"groups.Service.TopicPeers":        "wiring: media finds a group file's providers",
	"groups.Service.PublishFile":       "wiring: media's publish step of a group file",
	"groups.Service.TakeEnvelope":      "wiring: a group envelope a relay kept",
	"groups.Service.PublishContent":    "wiring: profiles publish our profile to a group",
	"groups.Service.PublishAction":     "wiring: actions publish an edit, delete or reaction to a group",
	"groups.Service.PublishTimer":      "wiring: expiry publishes a timer change to a group",
	"media.Service.CopyReady":          "wiring: the outbox's deposits",
	"media.Service.CopiedAt":           "wiring: the outbox's deposits",
	"media.Service.PinAtRelay":         "wiring: the outbox's deposits",
	"relays.Service.All":               "wiring: media and presence reach our relays",
	"relays.Service.Mailboxes":         "wiring: media copies files to our mailbox relays",
	"relays.Service.Has":               "wiring: node asks whether a peer is our relay",
	"relays.Service.Infos":             "wiring: presence asks our relays",
	"relays.Service.CircuitAddrs":      "wiring: the device-list publisher",
}

// wiring are the names node's own wiring uses, which the design lets
// mention anything (node calls them; they are not the embedding API).
func wiring(pkg, name string) bool {
	if pkg == "node" {
		return false // node's New, Start and Close take nothing foreign
	}
	switch {
	case name == "New", name == "Service.Start", name == "Service.Close", strings.HasPrefix(name, "Deps."):
		return true
	}
	return false
}

// foreign reports whether a package's types must stay out of the
// embedding API: the wire format, the store, the protocols, libp2p.
func foreign(path string) bool {
	const mod = "github.com/pigeon-net/pigeon/"
	switch {
	case path == mod+"storage", strings.HasPrefix(path, mod+"storage/"),
		strings.HasPrefix(path, mod+"protocol/"),
		strings.HasPrefix(path, "github.com/libp2p/"),
		strings.HasPrefix(path, "github.com/multiformats/"):
		return true
	}
	return false
}

// TestAPITypes: no exported function, method, struct field or event of
// node and its feature packages names a type of the wire format, the
// store, the protocols or libp2p, except those apiAllowed names.
func TestAPITypes(t *testing.T) {
	const mod = "github.com/pigeon-net/pigeon/"
	var paths []string
	for _, p := range apiPackages {
		paths = append(paths, mod+p)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	used := make(map[string]bool)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("load %s: %v", p.PkgPath, p.Errors)
		}
		for _, v := range apiViolations(p.Types, used) {
			t.Errorf("%s; use node/core's types or the feature's own (or, for wiring, allow it in apiAllowed with why)", v)
		}
	}
	for name := range apiAllowed {
		if !used[name] {
			t.Errorf("apiAllowed names %s, which no longer needs it: drop it", name)
		}
	}
}

// TestAPITypesCatches: the check finds foreign types in a method's
// signature, an event's fields and a function's results.
func TestAPITypesCatches(t *testing.T) {
	const src = `package planted

import (
	"context"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/pigeon-net/pigeon/storage"
)

type Service struct{}

func (s *Service) Message(ctx context.Context, id storage.MessageID) error { return nil }
func (s *Service) Fine(ctx context.Context, id [16]byte) error             { return nil }

type Changed struct {
	Peers map[string][]peer.ID
	Text  string
}

func Lookup() (*storage.Message, error) { return nil, nil }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "planted.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The imports' types come from the compiler's export data, as in
	// TestAPITypes.
	deps, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes},
		"context", "github.com/libp2p/go-libp2p/core/peer", "github.com/pigeon-net/pigeon/storage")
	if err != nil {
		t.Fatal(err)
	}
	byPath := make(map[string]*types.Package)
	for _, d := range deps {
		byPath[d.PkgPath] = d.Types
	}
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if p := byPath[path]; p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("planted imports %s, which the test did not load", path)
	})}
	pkg, err := conf.Check("planted", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := apiViolations(pkg, map[string]bool{})
	want := []string{"planted.Changed.Peers", "planted.Lookup", "planted.Service.Message"}
	var names []string
	for _, v := range got {
		names = append(names, strings.Fields(v)[0])
	}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Fatalf("violations %q, want %q", got, want)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// apiViolations lists the exported API of pkg that names a foreign type,
// as "pkg.Name ...: type", skipping wiring and apiAllowed names (which it
// marks in used).
func apiViolations(pkg *types.Package, used map[string]bool) []string {
	short := strings.TrimPrefix(strings.TrimPrefix(pkg.Path(), "github.com/pigeon-net/pigeon/"), "node/")
	var out []string
	check := func(name string, typ types.Type) {
		full := short + "." + name
		if wiring(short, name) {
			return
		}
		bad := foreignIn(typ, map[types.Type]bool{})
		if bad == "" {
			return
		}
		if _, ok := apiAllowed[full]; ok {
			used[full] = true
			return
		}
		out = append(out, fmt.Sprintf("%s names %s", full, bad))
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			check(name, obj.Type())
		case *types.Var:
			check(name, obj.Type())
		case *types.TypeName:
			if obj.IsAlias() {
				continue // the aliased type is checked where it is declared
			}
			named, ok := obj.Type().(*types.Named)
			if !ok {
				continue
			}
			switch u := named.Underlying().(type) {
			case *types.Struct:
				for f := range u.Fields() {
					if f.Exported() {
						check(name+"."+f.Name(), f.Type())
					}
				}
			case *types.Signature:
				check(name, u)
			}
			// Interfaces of feature packages are what a feature asks of
			// node (Deps); their methods are wiring. Methods of the
			// package's own types are its API.
			for m := range named.Methods() {
				if m.Exported() {
					check(name+"."+m.Name(), m.Type())
				}
			}
		}
	}
	return out
}

// foreignIn returns the first foreign named type typ is made of, "" when
// none is. It does not look inside named types of the API's own packages:
// core.AccountID is [32]byte underneath, and that is its business.
func foreignIn(typ types.Type, seen map[types.Type]bool) string {
	if seen[typ] {
		return ""
	}
	seen[typ] = true
	switch t := typ.(type) {
	case *types.Named:
		if obj := t.Obj(); obj.Pkg() != nil && foreign(obj.Pkg().Path()) {
			return obj.Pkg().Path() + "." + obj.Name()
		}
		for a := range t.TypeArgs().Types() {
			if bad := foreignIn(a, seen); bad != "" {
				return bad
			}
		}
	case *types.Alias:
		if obj := t.Obj(); obj.Pkg() != nil && foreign(obj.Pkg().Path()) {
			return obj.Pkg().Path() + "." + obj.Name()
		}
		return foreignIn(types.Unalias(t), seen)
	case *types.Pointer:
		return foreignIn(t.Elem(), seen)
	case *types.Slice:
		return foreignIn(t.Elem(), seen)
	case *types.Array:
		return foreignIn(t.Elem(), seen)
	case *types.Chan:
		return foreignIn(t.Elem(), seen)
	case *types.Map:
		if bad := foreignIn(t.Key(), seen); bad != "" {
			return bad
		}
		return foreignIn(t.Elem(), seen)
	case *types.Signature:
		if bad := foreignIn(t.Params(), seen); bad != "" {
			return bad
		}
		return foreignIn(t.Results(), seen)
	case *types.Tuple:
		for v := range t.Variables() {
			if bad := foreignIn(v.Type(), seen); bad != "" {
				return bad
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if bad := foreignIn(f.Type(), seen); bad != "" {
				return bad
			}
		}
	case *types.Interface:
		for m := range t.Methods() {
			if bad := foreignIn(m.Type(), seen); bad != "" {
				return bad
			}
		}
	}
	return ""
}
