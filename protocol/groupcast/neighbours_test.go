package groupcast_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

func fakeIDs(n int) []peer.ID {
	out := make([]peer.ID, n)
	for i := range out {
		out[i] = peer.ID(fmt.Sprintf("member-%d", i))
	}
	return out
}

func TestNeighboursConnectEveryGroup(t *testing.T) {
	for _, n := range []int{2, 3, 5, 10, 100, 1000} {
		for _, k := range []int{1, 2, groupcast.DefaultNeighbours, 8} {
			if n == 1000 && k != groupcast.DefaultNeighbours {
				continue // n² hashes; slow under -race
			}
			members := fakeIDs(n)
			index := make(map[peer.ID]int, n)
			for i, id := range members {
				index[id] = i
			}
			var edges [][2]int
			degree := make([]int, n)
			for i, self := range members {
				nb := groupcast.Neighbours(testTopic, self, members, k)
				if len(nb) != min(k, n-1) {
					t.Fatalf("n=%d k=%d: %d neighbours", n, k, len(nb))
				}
				if slices.Contains(nb, self) {
					t.Fatalf("n=%d k=%d: self among neighbours", n, k)
				}
				if !slices.Equal(nb, groupcast.Neighbours(testTopic, self, slices.Clone(members), k)) {
					t.Fatalf("n=%d k=%d: not deterministic", n, k)
				}
				for _, p := range nb {
					edges = append(edges, [2]int{i, index[p]})
					degree[i]++
					degree[index[p]]++
				}
			}
			if k >= 2 && !connected(n, edges) {
				t.Errorf("n=%d k=%d: graph not connected", n, k)
			}
			if k == groupcast.DefaultNeighbours && n == 1000 {
				if d := diameter(n, edges); d > 10 {
					t.Errorf("n=1000: diameter %d", d)
				}
				if m := slices.Max(degree); m > 4*k {
					t.Errorf("n=1000: a member has %d connections", m)
				}
			}
		}
	}
}

func TestNeighboursWithoutSelfInList(t *testing.T) {
	members := fakeIDs(10)
	nb := groupcast.Neighbours(testTopic, "newcomer", members, 3)
	if len(nb) != 3 || slices.Contains(nb, peer.ID("newcomer")) {
		t.Errorf("neighbours %v", nb)
	}
	if got := groupcast.Neighbours(testTopic, "alone", nil, 3); len(got) != 0 {
		t.Errorf("neighbours of a lone member: %v", got)
	}
}

// diameter is the longest shortest path (BFS from every node).
func diameter(n int, edges [][2]int) int {
	adj := make([][]int, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	worst := 0
	for s := 0; s < n; s++ {
		dist := make([]int, n)
		for i := range dist {
			dist[i] = -1
		}
		dist[s] = 0
		queue := []int{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, w := range adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					worst = max(worst, dist[w])
					queue = append(queue, w)
				}
			}
		}
	}
	return worst
}
