package presence

import (
	"time"

	"github.com/pigeon-net/pigeon/node/core"
)

// Changed is published when a contact comes online or goes offline (as its
// relays report it to us, following its privacy setting).
type Changed struct {
	Presence Presence
}

// Typing is published when a contact starts or stops typing to us, and
// when an indicator expires (Active false).
type Typing struct {
	From   core.AccountID
	Active bool
	Until  time.Time // when an active indicator expires
}

func (Changed) EventName() string { return "presence" }
func (Typing) EventName() string  { return "typing" }
