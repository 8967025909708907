//! The order constructors run in: every object after the objects it needs
//! (`DT_NEEDED`), the program last, as glibc sorts its objects before
//! running their initializers. A depth-first walk from the program, each
//! object's needed libraries in the order it lists them, puts an object in
//! the order once everything below it is there (post-order). An object
//! the walk finds again while it is still below itself (a dependency
//! cycle) is not waited for: the cycle's objects come in the order the
//! walk leaves them, and the walk ends. Destructors run in the opposite
//! order.
//!
//! The reverse of the breadth-first load order is not enough: a program
//! that needs `liba` then `libb`, where `libb` also needs `liba`, loads
//! `liba`, then `libb`, so the reverse would run `libb`'s constructors
//! before those of the library it uses (the test `dl-order`).

/// Which objects each object needs, by index in load order (the program
/// is 0), for at most `N` objects.
pub struct Needs<const N: usize> {
    count: usize,
    needs: [[u8; N]; N],
    lens: [u8; N],
}

/// Objects by index, in the order their constructors run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order<const N: usize> {
    items: [u8; N],
    len: usize,
}

impl<const N: usize> Order<N> {
    /// The indices, in order.
    pub fn as_slice(&self) -> &[u8] {
        &self.items[..self.len]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Unseen,
    /// On the walk's path: below it, an object that needs it again is a
    /// cycle.
    Open,
    Done,
}

impl<const N: usize> Needs<N> {
    /// `count` objects (at most `N`, at most 256), none needing any other yet.
    pub fn new(count: usize) -> Needs<N> {
        assert!(count <= N && N <= 256, "at most N (and 256) objects");
        Needs {
            count,
            needs: [[0; N]; N],
            lens: [0; N],
        }
    }

    /// Object `from` needs object `to` (its next `DT_NEEDED` entry). An
    /// object needing itself, one it needs already, or an index out of
    /// range adds nothing.
    pub fn add(&mut self, from: usize, to: usize) {
        if from >= self.count || to >= self.count || from == to {
            return;
        }
        if self.of(from).contains(&(to as u8)) {
            return;
        }
        let len = usize::from(self.lens[from]);
        self.needs[from][len] = to as u8;
        self.lens[from] += 1;
    }

    /// The objects `from` needs, in the order added.
    fn of(&self, from: usize) -> &[u8] {
        &self.needs[from][..usize::from(self.lens[from])]
    }

    /// Every object in the order its constructors run: those the program
    /// reaches first (post-order from object 0), then any it does not
    /// reach, each the same way, in load order.
    pub fn init_order(&self) -> Order<N> {
        let mut order = Order {
            items: [0; N],
            len: 0,
        };
        let mut marks = [Mark::Unseen; N];
        for root in 0..self.count {
            if marks[root] == Mark::Unseen {
                self.walk(root, &mut marks, &mut order);
            }
        }
        order
    }

    // ANCHOR: walk
    /// Depth-first from `root` without recursion: a stack of (object, how
    /// many of its needs have been looked at).
    fn walk(&self, root: usize, marks: &mut [Mark; N], order: &mut Order<N>) {
        let mut stack = [(0u8, 0u8); N];
        let mut depth = 1;
        stack[0] = (root as u8, 0);
        marks[root] = Mark::Open;
        while depth > 0 {
            let (at, next) = stack[depth - 1];
            let at = usize::from(at);
            match self.of(at).get(usize::from(next)) {
                Some(&dep) => {
                    stack[depth - 1].1 += 1;
                    let dep = usize::from(dep);
                    if marks[dep] == Mark::Unseen {
                        marks[dep] = Mark::Open;
                        stack[depth] = (dep as u8, 0);
                        depth += 1;
                    }
                }
                None => {
                    marks[at] = Mark::Done;
                    order.items[order.len] = at as u8;
                    order.len += 1;
                    depth -= 1;
                }
            }
        }
    }
    // ANCHOR_END: walk
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order<const N: usize>(count: usize, edges: &[(usize, usize)]) -> Vec<u8> {
        let mut n = Needs::<N>::new(count);
        for &(a, b) in edges {
            n.add(a, b);
        }
        n.init_order().as_slice().to_vec()
    }

    #[test]
    fn a_library_runs_before_the_library_that_needs_it() {
        // The program (0) needs liba (1) then libb (2); libb needs liba.
        // Breadth-first loads 0, 1, 2: its reverse would run libb first.
        assert_eq!(order::<8>(3, &[(0, 1), (0, 2), (2, 1)]), [1, 2, 0]);
    }

    #[test]
    fn a_diamond_runs_its_base_once_and_first() {
        // 0 needs 1 and 2, both need 3.
        assert_eq!(
            order::<8>(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]),
            [3, 1, 2, 0]
        );
    }

    #[test]
    fn a_chain_runs_from_its_end() {
        assert_eq!(order::<8>(4, &[(0, 1), (1, 2), (2, 3)]), [3, 2, 1, 0]);
    }

    #[test]
    fn a_cycle_ends_with_every_object_once() {
        // 0 needs 1, 1 needs 2, 2 needs 1 (a cycle), and itself.
        let got = order::<8>(3, &[(0, 1), (1, 2), (2, 1), (2, 2)]);
        assert_eq!(got, [2, 1, 0]);
    }

    #[test]
    fn objects_the_program_does_not_reach_come_after_in_load_order() {
        // 3 is loaded (say by dlopen's caller) but nobody needs it.
        assert_eq!(order::<8>(4, &[(0, 2), (3, 1)]), [2, 0, 1, 3]);
    }

    #[test]
    fn out_of_range_and_repeated_needs_are_ignored() {
        assert_eq!(order::<4>(2, &[(0, 1), (0, 9), (9, 0)]), [1, 0]);
        // A library listed more often than there are objects.
        let many: Vec<(usize, usize)> = (0..10).map(|_| (0, 1)).collect();
        assert_eq!(order::<2>(2, &many), [1, 0]);
    }

    #[test]
    fn a_full_table_is_ordered() {
        // 32 objects, each needing every later one: the last runs first.
        let mut n = Needs::<32>::new(32);
        for a in 0..32 {
            for b in a + 1..32 {
                n.add(a, b);
            }
        }
        let got = n.init_order();
        let want: Vec<u8> = (0..32u8).rev().collect();
        assert_eq!(got.as_slice(), &want[..]);
    }
}
