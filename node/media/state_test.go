package media

import (
	"testing"

	"github.com/pigeon-net/pigeon/storage"
)

// TestStates: the states of Info and the events are the store's, value
// for value, so converting is a cast.
func TestStates(t *testing.T) {
	for st := storage.AttachmentRemote; st <= storage.AttachmentRetrying; st++ {
		if State(st).String() != st.String() {
			t.Errorf("state %d: media %q, storage %q", st, State(st), st)
		}
	}
	for _, c := range []struct {
		got  State
		want storage.AttachmentState
	}{
		{Remote, storage.AttachmentRemote}, {Fetching, storage.AttachmentFetching}, {Local, storage.AttachmentLocal},
		{Failed, storage.AttachmentFailed}, {Removed, storage.AttachmentRemoved}, {Retrying, storage.AttachmentRetrying},
	} {
		if storage.AttachmentState(c.got) != c.want {
			t.Errorf("%s is %d, the store's %d", c.got, c.got, c.want)
		}
	}
}
