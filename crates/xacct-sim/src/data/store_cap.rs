//! The world's object store, as a face sizes it: the cap on the bytes
//! kept in memory, and what is held.

use crate::world::World;

impl World {
    /// Caps the bytes of object bodies and uploaded parts the world keeps
    /// in memory: a write past it is refused with a 507 that says so.
    pub fn cap_stored_bytes(&self, bytes: u64) {
        self.store().set_cap(bytes);
    }

    /// The bytes of object bodies and uploaded parts the world holds now.
    pub fn stored_bytes(&self) -> u64 {
        self.store().bytes()
    }
}
