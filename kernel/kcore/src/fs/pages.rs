//! A regular file's bytes, kept as a list of 4 KiB pages.
//!
//! Page `i` holds bytes `[i * PAGE, (i + 1) * PAGE)`. A page never written
//! is absent (a hole) and reads as zeros, as a sparse file does on Linux;
//! bytes of a page past the file's end are always zero, so growing a file
//! shows zeros without touching them. Writing, reading and growing cost the
//! same per byte whatever the file's size: nothing is ever moved (a file in
//! one block had to be copied whenever its allocation grew).
//!
//! A file the initramfs brought (or made from a byte vector) starts out
//! *packed*, its bytes in one block, so `execve` can read a program in place;
//! its first change spreads it into pages.
//!
//! Each state of a file's bytes has a [`FileData::version`], a number no
//! other file and no other state of this one has had since boot: the
//! kernel's cache of program pages is keyed by it, so a changed or
//! replaced program never shows its old pages.
//!
//! The pages come from a [`PageSource`] the tree's owner chooses: the
//! kernel gives page frames (outside its heap, so file data may use far more
//! memory than the heap has); by default ([`HEAP_PAGES`]) they come from the
//! global allocator. Running out is an error the caller turns into
//! `ENOSPC`, never a panic.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU64, Ordering};

/// Bytes in one page of file data.
pub const PAGE: usize = 4096;

/// Where file pages come from: `alloc` gives `PAGE` bytes aligned to
/// `PAGE`, not necessarily zeroed, or `None` when memory is exhausted;
/// `free` takes back a page `alloc` gave.
#[derive(Debug)]
pub struct PageSource {
    pub alloc: fn() -> Option<NonNull<u8>>,
    /// # Safety
    ///
    /// `page` came from this source's `alloc` and is not used afterwards.
    pub free: unsafe fn(page: NonNull<u8>),
}

const LAYOUT: core::alloc::Layout = match core::alloc::Layout::from_size_align(PAGE, PAGE) {
    Ok(layout) => layout,
    Err(_) => panic!("a page is a valid layout"),
};

/// Pages from the global allocator.
pub static HEAP_PAGES: PageSource = PageSource {
    alloc: heap_alloc,
    free: heap_free,
};

fn heap_alloc() -> Option<NonNull<u8>> {
    // SAFETY: `LAYOUT` has a non-zero size.
    NonNull::new(unsafe { alloc::alloc::alloc(LAYOUT) })
}

/// # Safety
///
/// `page` came from `heap_alloc` and is not used afterwards.
unsafe fn heap_free(page: NonNull<u8>) {
    // SAFETY: allocated by `alloc::alloc::alloc` with `LAYOUT` (the
    // caller's promise).
    unsafe { alloc::alloc::dealloc(page.as_ptr(), LAYOUT) }
}

/// One page of file data, owned by a [`FileData`], which gives it back to
/// its source.
struct Page(NonNull<u8>);

// SAFETY: a `Page` owns its memory alone, like a `Box<[u8; PAGE]>`.
unsafe impl Send for Page {}
// SAFETY: shared access only reads through `&self`.
unsafe impl Sync for Page {}

impl Page {
    /// A fresh page from `source`, its contents unspecified (every caller
    /// fills it before it is read); `None` if memory ran out.
    fn new(source: &PageSource) -> Option<Page> {
        (source.alloc)().map(Page)
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the page owns `PAGE` bytes at `self.0`, filled when it
        // was made.
        unsafe { core::slice::from_raw_parts(self.0.as_ptr(), PAGE) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` makes the access unique.
        unsafe { core::slice::from_raw_parts_mut(self.0.as_ptr(), PAGE) }
    }

    /// Gives the page back to `source`, where it came from.
    fn free(self, source: &PageSource) {
        // SAFETY: the page came from `source` (a file's pages all come
        // from its one source) and is consumed here.
        unsafe { (source.free)(self.0) }
    }
}

/// How the bytes are held.
enum Store {
    /// In one block, as made (`len` bytes exactly).
    Packed(Vec<u8>),
    /// Page by page; `None` is a hole. Pages past the end are dropped.
    Paged(Vec<Option<Page>>),
}

/// The last version handed out; 0 is every empty file's, never written.
static LAST_VERSION: AtomicU64 = AtomicU64::new(0);

/// A version no file has had yet.
fn next_version() -> u64 {
    LAST_VERSION.fetch_add(1, Ordering::Relaxed) + 1
}

/// Memory ran out while growing a file (the caller's `ENOSPC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

/// A regular file's bytes. See the module docs.
pub struct FileData {
    len: usize,
    store: Store,
    /// Where its pages come from: the source of its first page.
    source: Option<&'static PageSource>,
    /// Names the bytes as they are now (see [`FileData::version`]).
    version: u64,
}

impl FileData {
    /// An empty file.
    pub const fn new() -> FileData {
        FileData {
            len: 0,
            store: Store::Paged(Vec::new()),
            source: None,
            version: 0,
        }
    }

    /// A number naming the bytes as they are now: it changes with every
    /// write and every change of length, and no other file has had it
    /// (a copy made by `clone` shares it until either changes; every
    /// empty file never written has 0).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes in one block, if they are held so (a file not changed
    /// since it was made from a vector).
    pub fn contiguous(&self) -> Option<&[u8]> {
        match &self.store {
            Store::Packed(bytes) => Some(bytes),
            Store::Paged(_) => None,
        }
    }

    /// All the bytes in one block: borrowed if held so, else gathered into
    /// a new vector (`OutOfMemory` if that does not fit).
    pub fn bytes(&self) -> Result<Cow<'_, [u8]>, OutOfMemory> {
        if let Some(bytes) = self.contiguous() {
            return Ok(Cow::Borrowed(bytes));
        }
        let mut out = Vec::new();
        out.try_reserve_exact(self.len).map_err(|_| OutOfMemory)?;
        out.resize(self.len, 0);
        self.read(0, &mut out);
        Ok(Cow::Owned(out))
    }

    /// Copies bytes from `offset` into `buf`; returns how many (0 at or
    /// past the end).
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> usize {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len);
        let n = buf.len().min(self.len - start);
        match &self.store {
            Store::Packed(bytes) => buf[..n].copy_from_slice(&bytes[start..start + n]),
            Store::Paged(pages) => {
                let mut done = 0;
                while done < n {
                    let at = start + done;
                    let (index, within) = (at / PAGE, at % PAGE);
                    let k = (PAGE - within).min(n - done);
                    let out = &mut buf[done..done + k];
                    match &pages[index] {
                        Some(page) => out.copy_from_slice(&page.bytes()[within..within + k]),
                        None => out.fill(0),
                    }
                    done += k;
                }
            }
        }
        n
    }

    /// The file's pages and their source, packed bytes spread into pages
    /// first (before a change). New pages come from `source` unless the
    /// file already has one.
    fn paged(
        &mut self,
        source: &'static PageSource,
    ) -> Result<(&mut Vec<Option<Page>>, &'static PageSource), OutOfMemory> {
        let source = *self.source.get_or_insert(source);
        if let Store::Packed(bytes) = &self.store {
            let mut pages = Vec::new();
            pages
                .try_reserve_exact(bytes.len().div_ceil(PAGE))
                .map_err(|_| OutOfMemory)?;
            for chunk in bytes.chunks(PAGE) {
                let Some(mut page) = Page::new(source) else {
                    free_all(pages.drain(..).flatten(), source);
                    return Err(OutOfMemory);
                };
                let out = page.bytes_mut();
                out[..chunk.len()].copy_from_slice(chunk);
                out[chunk.len()..].fill(0);
                pages.push(Some(page));
            }
            self.store = Store::Paged(pages);
        }
        match &mut self.store {
            Store::Paged(pages) => Ok((pages, source)),
            Store::Packed(_) => unreachable!("spread just above"),
        }
    }

    /// Writes `bytes` at `offset`, growing the file as needed (a gap reads
    /// as zeros), new pages taken from `source` (see [`FileData::paged`]).
    /// On `OutOfMemory` the file is as it was.
    pub fn write(
        &mut self,
        offset: usize,
        bytes: &[u8],
        source: &'static PageSource,
    ) -> Result<(), OutOfMemory> {
        if bytes.is_empty() {
            return Ok(());
        }
        let end = offset.checked_add(bytes.len()).ok_or(OutOfMemory)?;
        let (pages, source) = self.paged(source)?;
        let (first, last) = (offset / PAGE, (end - 1) / PAGE);
        if pages.len() <= last {
            pages
                .try_reserve(last + 1 - pages.len())
                .map_err(|_| OutOfMemory)?;
        }
        // The pages the write needs, made first so that running out of
        // memory leaves the file unchanged.
        let holes = (first..=last)
            .filter(|&i| pages.get(i).is_none_or(Option::is_none))
            .count();
        let mut fresh = Vec::new();
        fresh.try_reserve_exact(holes).map_err(|_| OutOfMemory)?;
        for _ in 0..holes {
            match Page::new(source) {
                Some(page) => fresh.push(page),
                None => {
                    free_all(fresh, source);
                    return Err(OutOfMemory);
                }
            }
        }
        if pages.len() <= last {
            pages.resize_with(last + 1, || None);
        }
        for (index, slot) in pages.iter_mut().enumerate().take(last + 1).skip(first) {
            if slot.is_none() {
                let mut page = fresh.pop().expect("one per hole");
                // A page the write covers only in part starts as zeros
                // (what the hole read as).
                if offset > index * PAGE || end < (index + 1) * PAGE {
                    page.bytes_mut().fill(0);
                }
                *slot = Some(page);
            }
        }
        let mut done = 0;
        while done < bytes.len() {
            let at = offset + done;
            let (index, within) = (at / PAGE, at % PAGE);
            let k = (PAGE - within).min(bytes.len() - done);
            let page = pages[index].as_mut().expect("made above");
            page.bytes_mut()[within..within + k].copy_from_slice(&bytes[done..done + k]);
            done += k;
        }
        self.len = self.len.max(end);
        self.version = next_version();
        Ok(())
    }

    /// Sets the length to `len`: cuts the file (the cut bytes are gone:
    /// growing it again shows zeros), or extends it with a hole. A packed
    /// file is spread into pages from `source` first.
    pub fn set_len(&mut self, len: usize, source: &'static PageSource) -> Result<(), OutOfMemory> {
        if len == self.len {
            return Ok(());
        }
        let old = self.len;
        let (pages, source) = self.paged(source)?;
        if len < old {
            free_all(pages.drain(len.div_ceil(PAGE)..).flatten(), source);
            if let Some(Some(page)) = pages.last_mut()
                && !len.is_multiple_of(PAGE)
            {
                page.bytes_mut()[len % PAGE..].fill(0);
            }
            if pages.capacity() > 2 * pages.len() + 16 {
                pages.shrink_to_fit();
            }
        } else {
            let count = len.div_ceil(PAGE);
            pages
                .try_reserve(count.saturating_sub(pages.len()))
                .map_err(|_| OutOfMemory)?;
            pages.resize_with(count, || None);
        }
        self.len = len;
        self.version = next_version();
        Ok(())
    }

    /// Pages of memory the data holds (holes hold none).
    pub fn pages_held(&self) -> usize {
        match &self.store {
            Store::Packed(bytes) => bytes.len().div_ceil(PAGE),
            Store::Paged(pages) => pages.iter().filter(|p| p.is_some()).count(),
        }
    }
}

/// Gives `pages` back to `source`.
fn free_all(pages: impl IntoIterator<Item = Page>, source: &PageSource) {
    for page in pages {
        page.free(source);
    }
}

impl Drop for FileData {
    fn drop(&mut self) {
        if let (Store::Paged(pages), Some(source)) = (&mut self.store, self.source) {
            free_all(pages.drain(..).flatten(), source);
        }
    }
}

impl Default for FileData {
    fn default() -> FileData {
        FileData::new()
    }
}

impl From<Vec<u8>> for FileData {
    /// A packed file holding `bytes`.
    fn from(bytes: Vec<u8>) -> FileData {
        FileData {
            len: bytes.len(),
            store: Store::Packed(bytes),
            source: None,
            version: next_version(),
        }
    }
}

impl Clone for FileData {
    /// A packed copy, with the same version (the same bytes).
    ///
    /// # Panics
    ///
    /// If memory runs out (as cloning a vector does).
    fn clone(&self) -> FileData {
        let bytes = self.bytes().expect("memory for a copy of a file");
        let mut copy = FileData::from(bytes.into_owned());
        copy.version = self.version;
        copy
    }
}

impl PartialEq for FileData {
    /// The same bytes, however they are held.
    fn eq(&self, other: &FileData) -> bool {
        if self.len != other.len {
            return false;
        }
        let (mut a, mut b) = ([0; 256], [0; 256]);
        let mut at = 0;
        while at < self.len {
            let n = self.read(at as u64, &mut a);
            other.read(at as u64, &mut b[..n]);
            if a[..n] != b[..n] {
                return false;
            }
            at += n;
        }
        true
    }
}

impl Eq for FileData {}

impl core::fmt::Debug for FileData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FileData")
            .field("len", &self.len)
            .field("pages_held", &self.pages_held())
            .finish()
    }
}
