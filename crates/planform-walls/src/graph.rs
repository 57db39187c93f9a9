//! From a thin skeleton to a wall graph: nodes at ends and junctions, edges
//! along the skeleton, spurs pruned, junction clusters merged, degree-2
//! nodes dissolved.

use crate::fasthash::FastMap;

use crate::skeleton::Grid;

/// A graph node in image coordinates (pixel centres at +0.5).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) pos: [f64; 2],
    pub(crate) alive: bool,
}

/// A graph edge: its end nodes and the skeleton path between them
/// (pixel-centre coordinates, end nodes' positions not included).
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub(crate) a: usize,
    pub(crate) b: usize,
    pub(crate) path: Vec<[f64; 2]>,
    pub(crate) alive: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
}

impl Graph {
    /// The edges at each node (each edge once per node it touches, alive or
    /// not): built once in O(edges), so that a pass over the nodes does not
    /// scan every edge for each (which made centrelines quadratic in the
    /// number of walls).
    pub(crate) fn incidence(&self) -> Vec<Vec<usize>> {
        let mut inc = vec![Vec::new(); self.nodes.len()];
        for (k, e) in self.edges.iter().enumerate() {
            inc[e.a].push(k);
            if e.b != e.a {
                inc[e.b].push(k);
            }
        }
        inc
    }

    /// The degree of node `n` from its incidence list (a loop counts twice).
    pub(crate) fn degree_at(&self, inc: &[Vec<usize>], n: usize) -> usize {
        inc[n]
            .iter()
            .map(|&k| &self.edges[k])
            .filter(|e| e.alive && (e.a == n || e.b == n))
            .map(|e| if e.a == e.b { 2 } else { 1 })
            .sum()
    }

    /// Every node's degree (a loop counts twice).
    pub(crate) fn degrees(&self) -> Vec<usize> {
        let mut d = vec![0; self.nodes.len()];
        for e in self.edges.iter().filter(|e| e.alive) {
            d[e.a] += 1;
            d[e.b] += 1;
        }
        d
    }

    /// The edge's full polyline, from node `a` to node `b`.
    pub(crate) fn line(&self, e: &Edge) -> Vec<[f64; 2]> {
        let mut v = Vec::with_capacity(e.path.len() + 2);
        v.push(self.nodes[e.a].pos);
        v.extend_from_slice(&e.path);
        v.push(self.nodes[e.b].pos);
        v
    }

    pub(crate) fn length(&self, e: &Edge) -> f64 {
        self.line(e)
            .windows(2)
            .map(|w| {
                let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
                (dx * dx + dy * dy).sqrt()
            })
            .sum()
    }
}

fn centre(g: &Grid, i: usize) -> [f64; 2] {
    let (x, y) = g.xy(i);
    [x as f64 + 0.5, y as f64 + 0.5]
}

/// Builds the graph of a thinned grid.
pub(crate) fn build(g: &Grid) -> Graph {
    let ring = g.ring();
    let skel: Vec<usize> = (0..g.px.len()).filter(|&i| g.px[i] != 0).collect();
    let is_node = |i: usize| g.neighbours(i) != 2;
    // cluster node pixels (8-connected) into nodes
    let mut node_of: FastMap<usize, usize> = FastMap::default();
    let mut graph = Graph::default();
    for &i in &skel {
        if !is_node(i) || node_of.contains_key(&i) {
            continue;
        }
        let id = graph.nodes.len();
        let mut stack = vec![i];
        node_of.insert(i, id);
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        while let Some(p) = stack.pop() {
            let c = centre(g, p);
            sx += c[0];
            sy += c[1];
            n += 1.0;
            for &o in &ring {
                let q = (p as isize + o) as usize;
                if g.px[q] != 0 && is_node(q) && !node_of.contains_key(&q) {
                    node_of.insert(q, id);
                    stack.push(q);
                }
            }
        }
        graph.nodes.push(Node {
            pos: [sx / n, sy / n],
            alive: true,
        });
    }
    // trace edges out of every node pixel
    let mut used = vec![false; g.px.len()];
    let node_pixels: Vec<usize> = skel
        .iter()
        .copied()
        .filter(|&i| node_of.contains_key(&i))
        .collect();
    for &p in &node_pixels {
        for &o in &ring {
            let q = (p as isize + o) as usize;
            if g.px[q] != 0 && !node_of.contains_key(&q) && !used[q] {
                trace(g, &mut graph, &mut used, &node_of, p, q);
            }
        }
    }
    // pure cycles (closed walls without junctions): cut each at one pixel
    for &i in &skel {
        if g.px[i] != 0 && !used[i] && !node_of.contains_key(&i) {
            let id = graph.nodes.len();
            graph.nodes.push(Node {
                pos: centre(g, i),
                alive: true,
            });
            node_of.insert(i, id);
            used[i] = true;
            if let Some(q) = ring
                .iter()
                .map(|&o| (i as isize + o) as usize)
                .find(|&q| g.px[q] != 0 && !used[q])
            {
                trace(g, &mut graph, &mut used, &node_of, i, q);
            }
        }
    }
    graph
}

/// Follows the skeleton from node pixel `from` through `start` to the next
/// node pixel and records the edge.
fn trace(
    g: &Grid,
    graph: &mut Graph,
    used: &mut [bool],
    node_of: &FastMap<usize, usize>,
    from: usize,
    start: usize,
) {
    let ring = g.ring();
    let a = node_of[&from];
    let mut path = vec![centre(g, start)];
    used[start] = true;
    let (mut prev, mut cur) = (from, start);
    loop {
        let next = ring
            .iter()
            .map(|&o| (cur as isize + o) as usize)
            .find(|&q| q != prev && g.px[q] != 0 && (node_of.contains_key(&q) || !used[q]));
        match next {
            Some(q) if node_of.contains_key(&q) => {
                graph.edges.push(Edge {
                    a,
                    b: node_of[&q],
                    path,
                    alive: true,
                });
                return;
            }
            Some(q) => {
                used[q] = true;
                path.push(centre(g, q));
                prev = cur;
                cur = q;
            }
            None => {
                // a path that ends without a node (not expected in a thin
                // skeleton, but never loop forever): end it at a new node
                let b = graph.nodes.len();
                graph.nodes.push(Node {
                    pos: centre(g, cur),
                    alive: true,
                });
                path.pop();
                graph.edges.push(Edge {
                    a,
                    b,
                    path,
                    alive: true,
                });
                return;
            }
        }
    }
}

/// Removes spurs: edges from an end node (degree 1) to a junction that are
/// shorter than `factor` × the local wall width at the junction.
pub(crate) fn prune_spurs(graph: &mut Graph, width_at: &dyn Fn([f64; 2]) -> f64, factor: f64) {
    let mut deg = graph.degrees();
    loop {
        let mut changed = false;
        for k in 0..graph.edges.len() {
            if !graph.edges[k].alive {
                continue;
            }
            let (a, b) = (graph.edges[k].a, graph.edges[k].b);
            let (da, db) = (deg[a], deg[b]);
            let (end, junction) = match (da, db) {
                (1, d) if d >= 3 => (a, b),
                (d, 1) if d >= 3 => (b, a),
                _ => continue,
            };
            let len = graph.length(&graph.edges[k]);
            if len < factor * width_at(graph.nodes[junction].pos) {
                graph.edges[k].alive = false;
                graph.nodes[end].alive = false;
                deg[end] -= 1;
                deg[junction] -= 1;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Merges junctions joined by an edge shorter than `factor` × the local
/// width (an X junction that thinning split into two Ts).
pub(crate) fn merge_close_junctions(
    graph: &mut Graph,
    width_at: &dyn Fn([f64; 2]) -> f64,
    factor: f64,
) {
    let mut inc = graph.incidence();
    loop {
        let mut changed = false;
        for k in 0..graph.edges.len() {
            let e = &graph.edges[k];
            if !e.alive || e.a == e.b {
                continue;
            }
            let (a, b) = (e.a, e.b);
            if graph.degree_at(&inc, a) < 3 || graph.degree_at(&inc, b) < 3 {
                continue;
            }
            let len = graph.length(e);
            let w = width_at(graph.nodes[a].pos).max(width_at(graph.nodes[b].pos));
            if len >= factor * w {
                continue;
            }
            graph.edges[k].alive = false;
            let pa = graph.nodes[a].pos;
            let pb = graph.nodes[b].pos;
            graph.nodes[a].pos = [f64::midpoint(pa[0], pb[0]), f64::midpoint(pa[1], pb[1])];
            graph.nodes[b].alive = false;
            // b's edges now end at a (only they can name b)
            for j in std::mem::take(&mut inc[b]) {
                let e = &mut graph.edges[j];
                let had_a = e.a == a || e.b == a;
                if e.a == b {
                    e.a = a;
                }
                if e.b == b {
                    e.b = a;
                }
                if !had_a {
                    inc[a].push(j);
                }
            }
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

/// Joins the two edges of every degree-2 node into one.
pub(crate) fn dissolve_degree_two(graph: &mut Graph) {
    let mut at = graph.incidence();
    for n in 0..graph.nodes.len() {
        if !graph.nodes[n].alive || graph.degree_at(&at, n) != 2 {
            continue;
        }
        // in index order, as a scan of every edge would list them
        let mut inc: Vec<usize> = at[n]
            .iter()
            .copied()
            .filter(|&k| graph.edges[k].alive && (graph.edges[k].a == n || graph.edges[k].b == n))
            .collect();
        inc.sort_unstable();
        if inc.len() != 2 {
            continue; // a self-loop: keep the node
        }
        let (e1, e2) = (graph.edges[inc[0]].clone(), graph.edges[inc[1]].clone());
        // orient e1 to end at n and e2 to start at n
        let (a, mut p1) = if e1.b == n {
            (e1.a, e1.path.clone())
        } else {
            (e1.b, e1.path.iter().rev().copied().collect())
        };
        let (b, p2): (usize, Vec<[f64; 2]>) = if e2.a == n {
            (e2.b, e2.path.clone())
        } else {
            (e2.a, e2.path.iter().rev().copied().collect())
        };
        p1.push(graph.nodes[n].pos);
        p1.extend(p2);
        graph.edges[inc[0]] = Edge {
            a,
            b,
            path: p1,
            alive: true,
        };
        graph.edges[inc[1]].alive = false;
        graph.nodes[n].alive = false;
        // the joined edge (kept at inc[0], already listed at a) now ends at b
        if !at[b].contains(&inc[0]) {
            at[b].push(inc[0]);
        }
    }
}
