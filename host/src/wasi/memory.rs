//! Bounds-checked access to a guest's linear memory.
//!
//! Every pointer a guest passes is untrusted: each access is checked against
//! the memory's current size and fails with `EFAULT` instead of trapping or
//! touching host memory.

use super::errno::Errno;

/// A guest's linear memory, borrowed for the duration of one host call.
pub(crate) struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMemory<'a> {
    pub(crate) fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    /// The `len` bytes at `ptr`.
    pub(crate) fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let range = self.range(ptr, len)?;
        Ok(&self.bytes[range])
    }

    /// The `len` bytes at `ptr`, writable.
    pub(crate) fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let range = self.range(ptr, len)?;
        Ok(&mut self.bytes[range])
    }

    /// Copies `data` to `ptr`.
    pub(crate) fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        self.slice_mut(ptr, data.len() as u32)?
            .copy_from_slice(data);
        Ok(())
    }

    /// A path or other string argument; `EILSEQ` if it is not UTF-8.
    pub(crate) fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    #[cfg(test)]
    pub(crate) fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        let b = self.slice(ptr, 4)?;
        Ok(u32::from_le_bytes(b.try_into().expect("length checked")))
    }

    pub(crate) fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }

    pub(crate) fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// The (pointer, length) pairs of an `iovec`/`ciovec` array.
    pub(crate) fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<(u32, u32)>, Errno> {
        let table = self.slice(ptr, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        let mut out = Vec::with_capacity(count as usize);
        for chunk in table.chunks_exact(8) {
            let buf = u32::from_le_bytes(chunk[0..4].try_into().expect("chunk of 8"));
            let len = u32::from_le_bytes(chunk[4..8].try_into().expect("chunk of 8"));
            // Validate now so a bad iovec fails before any side effect.
            self.range(buf, len)?;
            out.push((buf, len));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_bounds_access_is_a_fault_not_a_panic() {
        let mut bytes = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut bytes);
        assert_eq!(mem.slice(10, 7), Err(Errno::Fault));
        assert_eq!(mem.slice(u32::MAX, 2), Err(Errno::Fault));
        assert_eq!(mem.write_u64(12, 1), Err(Errno::Fault));
        assert!(mem.write_u32(12, 7).is_ok());
        assert_eq!(mem.read_u32(12), Ok(7));
    }

    #[test]
    fn iovecs_are_validated_before_use() {
        let mut bytes = vec![0u8; 64];
        let mut mem = GuestMemory::new(&mut bytes);
        mem.write_u32(0, 32).unwrap();
        mem.write_u32(4, 3).unwrap();
        mem.write_u32(8, 60).unwrap();
        mem.write_u32(12, 8).unwrap();
        assert_eq!(mem.iovecs(0, 1).unwrap(), [(32, 3)]);
        assert_eq!(mem.iovecs(0, 2), Err(Errno::Fault));
        assert_eq!(mem.iovecs(60, 1), Err(Errno::Fault));
    }
}
