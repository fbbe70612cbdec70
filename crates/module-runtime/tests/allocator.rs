//! `memory::tune_allocator` as glibc carries it out, in a process of its own (`harness = false`:
//! no test threads have made arenas before it runs).
//!
//! - One arena: after a new thread has allocated, `malloc_info` still lists one heap (without the
//!   setting the thread gets an arena of its own: a second heap).
//! - Fixed thresholds: after a 1 MiB block is freed, a 512 KiB block is still served by `mmap`
//!   (glibc's default would have raised the threshold to 1 MiB and put it on the heap).
#![allow(unsafe_code)] // mallinfo2 and malloc_info, to read what glibc did

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn main() {
    use std::hint::black_box;

    assert!(
        module_runtime::memory::tune_allocator(),
        "glibc refused one of the settings"
    );

    let kept = std::thread::spawn(|| {
        (0..1024)
            .map(|i| vec![u8::try_from(i % 251).unwrap_or(0); 1024])
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap_or_else(|_| panic!("the allocating thread panicked"));
    black_box(&kept);
    let info = malloc_info();
    let heaps = info.matches("<heap nr=").count();
    assert_eq!(
        heaps, 1,
        "malloc has {heaps} arenas after a second thread allocated:\n{info}"
    );

    drop(black_box(vec![1u8; 1 << 20]));
    let mapped_before = mallinfo().hblkhd;
    let block = black_box(vec![2u8; 512 * 1024]);
    let mapped = mallinfo().hblkhd.saturating_sub(mapped_before);
    assert!(
        mapped >= 512 * 1024,
        "a 512 KiB block after a freed 1 MiB one is not mmapped ({mapped} bytes more mapped): \
         the threshold moved"
    );
    black_box(&block);
    println!("allocator: one arena, fixed thresholds");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn mallinfo() -> libc::mallinfo2 {
    // SAFETY: mallinfo2 only reads malloc's statistics.
    unsafe { libc::mallinfo2() }
}

/// glibc's `malloc_info` XML: one `<heap nr="…">` per arena.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn malloc_info() -> String {
    let mut buffer: *mut libc::c_char = std::ptr::null_mut();
    let mut size: libc::size_t = 0;
    // SAFETY: open_memstream writes the buffer's address and size at fclose; malloc_info writes
    // to the stream; the buffer is copied out and freed once, as open_memstream documents.
    unsafe {
        let stream = libc::open_memstream(&raw mut buffer, &raw mut size);
        assert!(!stream.is_null(), "open_memstream failed");
        assert_eq!(libc::malloc_info(0, stream), 0, "malloc_info failed");
        libc::fclose(stream);
        let text = std::slice::from_raw_parts(buffer.cast::<u8>(), size).to_vec();
        libc::free(buffer.cast());
        String::from_utf8_lossy(&text).into_owned()
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() {
    assert!(!module_runtime::memory::tune_allocator());
}
