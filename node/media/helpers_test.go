package media_test

import "github.com/pigeon-net/pigeon/node/nodetest"

// wait bounds what the media tests wait for the network.
const wait = nodetest.Wait
