package contacts

import (
	"slices"
	"testing"
	"time"
)

func TestDeviceNoticeText(t *testing.T) {
	for _, c := range []struct {
		added, removed int
		want           string
	}{
		{1, 0, "added a new device"},
		{2, 0, "added 2 new devices"},
		{0, 1, "removed a device"},
		{1, 3, "added a new device and removed 3 devices"},
	} {
		if got := DeviceNoticeText(c.added, c.removed); got != c.want {
			t.Errorf("%d added, %d removed: %q, want %q", c.added, c.removed, got, c.want)
		}
	}
	if a, r := diff([]uint32{1, 2, 5}, []uint32{1, 3, 5, 7}); a != 2 || r != 1 {
		t.Errorf("diff: %d added, %d removed", a, r)
	}
}

// FuzzDecodeSeen: a stored record of the devices seen decodes into what
// was encoded, and anything else is refused or decoded within its
// bounds, without hanging.
func FuzzDecodeSeen(f *testing.F) {
	f.Add(encodeSeen(7, []uint32{1, 2, 9}))
	f.Add([]byte{})
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			v, ds, err := decodeSeen(b)
			if err != nil {
				return
			}
			if len(ds) > len(b) || !slices.IsSorted(ds) {
				t.Errorf("decoded %d devices from %d bytes", len(ds), len(b))
			}
			if v2, ds2, err := decodeSeen(encodeSeen(v, ds)); err != nil || v2 != v || !slices.Equal(ds, ds2) {
				t.Errorf("round trip: %d %v %v", v2, ds2, err)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("decodeSeen hangs")
		}
	})
}
