package post

import (
	"fmt"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Registry is the registry through which decrypted contents reach the
// feature that claimed their kind (rt.Registry). Handlers are registered
// during Start, before envelopes are served; it is read-only afterwards,
// so it needs no lock.
type Registry struct {
	content map[rt.Kind][]contentHandler
	group   map[rt.Kind]rt.GroupContentHandler
}

type contentHandler struct {
	match func(*pb.Content) bool
	h     rt.ContentHandler
}

var _ rt.Registry = (*Registry)(nil)

// NewRegistry makes an empty registry (node calls this).
func NewRegistry() *Registry {
	return &Registry{content: make(map[rt.Kind][]contentHandler), group: make(map[rt.Kind]rt.GroupContentHandler)}
}

// HandleContent claims a kind of pairwise content (those match accepts,
// when not nil).
func (d *Registry) HandleContent(kind rt.Kind, match func(*pb.Content) bool, h rt.ContentHandler) {
	d.content[kind] = append(d.content[kind], contentHandler{match: match, h: h})
}

// HandleGroupContent claims a kind of group content.
func (d *Registry) HandleGroupContent(kind rt.Kind, h rt.GroupContentHandler) {
	if d.group[kind] != nil {
		panic(fmt.Sprintf("post: group content kind %d claimed twice", kind))
	}
	d.group[kind] = h
}

// contentHandler finds the handler of c's kind.
func (d *Registry) contentHandler(c *pb.Content) (rt.ContentHandler, bool) {
	for _, e := range d.content[rt.KindOf(c)] {
		if e.match == nil || e.match(c) {
			return e.h, true
		}
	}
	return nil, false
}

// GroupHandler finds the handler of a group content's kind.
func (d *Registry) GroupHandler(c *pb.GroupContent) (rt.GroupContentHandler, bool) {
	h, ok := d.group[rt.GroupKindOf(c)]
	return h, ok
}
