//! The world's object store, as a face sizes it: the cap on the bytes
//! kept in memory, and what is held.

use crate::world::World;

impl World {
    /// Caps what the world's store keeps in memory: object and part
    /// bytes, and each object's and upload's key, headers and bookkeeping
    /// (256 bytes beside them); a write past it is refused with a 507 that
    /// says so.
    pub fn cap_stored_bytes(&self, bytes: u64) {
        self.store().set_cap(bytes);
    }

    /// What the world's store holds now, counted as the cap counts it.
    pub fn stored_bytes(&self) -> u64 {
        self.store().bytes()
    }
}
