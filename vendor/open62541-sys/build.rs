#![expect(clippy::panic, reason = "panic only during build time")]

use std::{
    env, fs,
    path::{Path, PathBuf},
};

/// Target path in CMake build for include files.
const CMAKE_INCLUDE: &str = "include";
/// Target path in CMake build for lib files.
const CMAKE_LIB: &str = "lib";

/// Name of target library from `open62541` build. This must be `open62541` as it is being generated
/// by the CMake build.
const LIB_BASE: &str = "open62541";
/// Name of library from `extern.c` and `wrapper.c` that holds additional helpers, in particular the
/// compilation of static (inline) functions from `open62541` itself. This may be an arbitrary name;
/// the `cc` build adds it as `rustc-link-lib` automatically.
const LIB_EXT: &str = "open62541-ext";

/// C compiler flags for building native code with ASAN (address sanitizer).
const ASAN_FLAGS: &[&str] = &["-fsanitize=address", "-fno-omit-frame-pointer"];

/// Returns C compiler flags for sanitizers enabled in the Rust build.
///
/// Native code is instrumented only when the Rust code is (with `-Zsanitizer=address`, which sets
/// `cfg(sanitize = "address")`). This ensures that the sanitizer runtime is linked into the final
/// artifact, which the instrumented native code depends on.
///
/// The runtime comes from the LLVM bundled with Rust. When the C compiler does not match it, linking
/// fails with an unresolved `__asan_version_mismatch_check_*` symbol. We deliberately do not disable
/// this check; see `README.md` for how to select a matching C compiler instead.
fn sanitizer_flags() -> &'static [&'static str] {
    println!("cargo:rerun-if-env-changed=CARGO_CFG_SANITIZE");
    let sanitize = env::var("CARGO_CFG_SANITIZE").unwrap_or_default();
    if sanitize.split(',').any(|sanitizer| sanitizer == "address") {
        ASAN_FLAGS
    } else {
        &[]
    }
}

fn main() {
    let with_mbedtls =
        matches!(env::var("CARGO_FEATURE_MBEDTLS"), Ok(mbedtls) if !mbedtls.is_empty());
    let with_openssl =
        matches!(env::var("CARGO_FEATURE_OPENSSL"), Ok(openssl) if !openssl.is_empty());
    // For now, we do not actually announce feature flag `openssl` in `Cargo.toml`.
    let encryption = match (with_mbedtls, with_openssl) {
        (false, false) => None,
        (true, false) => Some(Encryption::MbedTls),
        (false, true) => Some(Encryption::OpenSsl),
        _ => panic!("conflicting encryption feature flags, only one must be enabled"),
    };

    let src = env::current_dir().expect("should get current directory");

    // Get derived paths relative to `src`.
    let src_mbedtls = src.join("mbedtls");
    let src_open62541 = src.join("open62541");
    let src_wrapper_c = src.join("wrapper.c");
    let src_wrapper_h = src.join("wrapper.h");

    // Rerun build when files in `src` change.
    println!("cargo:rerun-if-changed={}", src_open62541.display());
    println!("cargo:rerun-if-changed={}", src_wrapper_c.display());
    println!("cargo:rerun-if-changed={}", src_wrapper_h.display());

    let sanitizer_flags = sanitizer_flags();

    // Build related encryption libraries.
    let encryption_dst = encryption.map(|encryption| match encryption {
        Encryption::MbedTls => prepare_mbedtls(src_mbedtls, sanitizer_flags),
        Encryption::OpenSsl => prepare_openssl(),
    });

    // Build `open62541` library.
    let dst = build_open62541(src_open62541, encryption_dst.as_ref(), sanitizer_flags);

    // Get derived paths relative to `dst`.
    let dst_include = dst.join(CMAKE_INCLUDE);
    let dst_lib = dst.join(CMAKE_LIB);

    if matches!(env::var("CARGO_CFG_TARGET_OS"), Ok(os) if os == "windows") {
        // We require the `iphlpapi` library on Windows builds to avoid errors (regarding the use of
        // `if_nametoindex`, see https://github.com/open62541/open62541/issues/5622).
        println!("cargo:rustc-link-lib=iphlpapi");
    }

    println!("cargo:rustc-link-search={}", dst_lib.display());
    println!("cargo:rustc-link-lib={LIB_BASE}");

    if matches!(env::var("CARGO_CFG_TARGET_OS"), Ok(os) if os == "windows") {
        // `UA_random_secureBytes()` uses `BCryptGenRandom()` on Windows, regardless of whether
        // encryption is enabled.
        println!("cargo:rustc-link-lib=bcrypt");
    }

    // For encryption support enabled, we add the libraries that have to be used as dependencies for
    // the final build artifact.
    //
    // Note: These must come _after_ adding `LIB_BASE` above for linker to resolve dependencies.
    if let Some(encryption_dst) = encryption_dst {
        encryption_dst.rustc_link_search();
        encryption_dst.rustc_link_lib();
    }

    if matches!(env::var("CARGO_CFG_TARGET_ENV"), Ok(env) if env == "musl") {
        // Link `libgcc` to resolve `__gcc_personality_v0`. GCC-compiled `open62541` C files that
        // use GCC's cleanup attribute emit a `DW.ref.__gcc_personality_v0` reference in a
        // `.data.rel.local` section. This symbol lives in `libgcc.a`, which is part of the GCC
        // runtime for the musl cross-toolchain. Rust's musl linker passes `-nodefaultlibs` and
        // does not include `libgcc` automatically.
        //
        // IMPORTANT: This directive must appear *after* `cargo:rustc-link-lib=open62541` so that
        // the static linker processes `-lgcc` after `-lopen62541`. With static archive linking,
        // the library providing a symbol must be listed *after* the library that references it.
        println!("cargo:rustc-link-lib=gcc");
    }

    let out = PathBuf::from(env::var("OUT_DIR").expect("should have OUT_DIR"));

    // Get derived paths relative to `out`.
    let out_bindings_rs = out.join("bindings.rs");
    let out_extern_c = out.join("extern.c");

    // Provide a minimal `<stdatomic.h>` for `libclang`. On some systems (Ubuntu 26.04) `libclang`
    // does not pick up a usable system header, even though `__has_include(<stdatomic.h>)` is true,
    // which breaks the inline helpers in `config.h` ("unknown type name 'atomic_uintptr_t'"). The
    // shim only covers what `open62541` uses and is only seen by `bindgen`, not by the C compiler.
    let shim_dir = out.join("bindgen-shim");
    fs::create_dir_all(&shim_dir).expect("should create bindgen shim directory");
    fs::write(
        shim_dir.join("stdatomic.h"),
        "#ifndef RS_STDATOMIC_SHIM_H\n\
         #define RS_STDATOMIC_SHIM_H\n\
         typedef _Atomic(__UINTPTR_TYPE__) atomic_uintptr_t;\n\
         #define atomic_load(o) __c11_atomic_load(o, __ATOMIC_SEQ_CST)\n\
         #define atomic_exchange(o, v) __c11_atomic_exchange(o, v, __ATOMIC_SEQ_CST)\n\
         #define atomic_compare_exchange_strong(o, e, d) \\\n\
         \x20   __c11_atomic_compare_exchange_strong(o, e, d, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)\n\
         #endif\n",
    )
    .expect("should write stdatomic.h shim for bindgen");

    let builder = bindgen::Builder::default()
        // Include our wrapper functions.
        .allowlist_function("(__)?RS_.*")
        .allowlist_function("(__)?UA_.*")
        // Include our wrapper types.
        .allowlist_type("(__)?RS_.*")
        .allowlist_type("(__)?UA_.*")
        // Include our wrapper vars.
        .allowlist_var("(__)?RS_.*")
        .allowlist_var("(__)?UA_.*")
        // Explicitly set C11 standard. C11 is required for `<stdatomic.h>` with types like
        // `atomic_uintptr_t` used in `open62541` headers. C11 also forces Windows variants of
        // `vsnprintf()` to conform to the standard (as it is a superset of C99).
        .clang_arg("-std=c11")
        .clang_arg(format!("-I{}", dst_include.display()))
        .clang_arg(format!("-I{}", shim_dir.display()))
        .default_enum_style(bindgen::EnumVariation::NewType {
            is_bitfield: false,
            is_global: false,
        })
        // Use explicit Rust target version that matches the entry in `Cargo.toml`.
        .rust_target(
            bindgen::RustTarget::stable(85, 0)
                .ok()
                .expect("should be a valid Rust target"),
        )
        // Do not derive `Copy` because most of the data types are not copy-safe (they own memory by
        // pointers and need to be cloned manually to duplicate that memory).
        .derive_copy(false)
        // We want to initialize some types statically. This is used in `open62541`, we require that
        // as well to mirror some of the functionality.
        .derive_default(true)
        // The auto-derived comments are not particularly useful because they often do not match the
        // declaration they belong to.
        .generate_comments(false)
        .header(src_wrapper_h.to_str().expect("should be valid path"))
        // Activate parse callbacks. This causes cargo to invalidate the generated bindings when any
        // of the included files change. It also enables us to rename items in the final bindings.
        .parse_callbacks(Box::new(CustomCallbacks { dst }))
        // We may use `core` instead of `std`. This might be useful for `no_std` environments.
        .use_core()
        // Wrap static functions. These are used in several places for inline helpers and we want to
        // preserve those in the generated bindings. This outputs `extern.c` which we compile below.
        .wrap_static_fns(true)
        // Make sure to specify the location of the resulting `extern.c`. By default `bindgen` would
        // place it in the temporary directory.
        .wrap_static_fns_path(out_extern_c.to_str().expect("should be valid path"));

    let bindings = builder
        .generate()
        .expect("should generate `Bindings` instance");

    bindings
        .write_to_file(out_bindings_rs.clone())
        .expect("should write `bindings.rs`");

    // Build `extern.c` and our custom `wrapper.c` that both hold additional helpers that we want to
    // link in addition to the base `open62541` library.
    cc::Build::new()
        // Enable address sanitizer if requested.
        .flags(sanitizer_flags)
        .file(out_extern_c)
        .file(src_wrapper_c)
        .include(dst_include)
        // Disable warnings for `open62541`. Not much we can do anyway.
        .warnings(false)
        .compile(LIB_EXT);
}

#[derive(Debug)]
enum Encryption {
    MbedTls,
    OpenSsl,
}

#[derive(Debug)]
enum EncryptionDst {
    MbedTls {
        dst: PathBuf,
        libs: Vec<&'static str>,
    },
    OpenSsl {
        search: Option<&'static str>,
        libs: Vec<&'static str>,
    },
}

impl EncryptionDst {
    const fn search(&self) -> Option<&'static str> {
        match self {
            EncryptionDst::MbedTls { .. } => None,
            EncryptionDst::OpenSsl { search, .. } => *search,
        }
    }

    fn libs(&self) -> &[&'static str] {
        match self {
            EncryptionDst::MbedTls { libs, .. } | EncryptionDst::OpenSsl { libs, .. } => libs,
        }
    }

    fn rustc_link_search(&self) {
        if let Some(search) = self.search() {
            println!("cargo:rustc-link-search={search}");
        }
    }

    fn rustc_link_lib(&self) {
        for lib in self.libs() {
            println!("cargo:rustc-link-lib={lib}");
        }
    }
}

fn prepare_mbedtls(src: PathBuf, sanitizer_flags: &[&str]) -> EncryptionDst {
    // Build bundled copy of `mbedtls` with CMake.
    let mut cmake = cmake::Config::new(src);
    cmake
        // Use explicit paths here to avoid generating files where we do not expect them below.
        .define("CMAKE_INSTALL_INCLUDEDIR", CMAKE_INCLUDE)
        // Some systems (Fedora) default to `lib64/` instead of `lib/` for 64-bit libraries.
        .define("CMAKE_INSTALL_LIBDIR", CMAKE_LIB)
        // Use same C11 standard as is used for building `open62541`.
        .define("C_STANDARD", "11")
        // Skip building binary programs unnecessary for linking library.
        .define("ENABLE_PROGRAMS", "OFF")
        // Skip building test programs that we are not going to run anyway.
        .define("ENABLE_TESTING", "OFF");

    // Enable address sanitizer if requested.
    for flag in sanitizer_flags {
        cmake.cflag(flag).cxxflag(flag);
    }

    // Free the frame pointer register on 32-bit ARM.
    //
    // Unoptimized (debug) builds with recent GCC keep a frame pointer, leaving too few registers
    // for the inline assembly in `bn_mul.h`: "'asm' operand has impossible constraints".
    // <https://github.com/Mbed-TLS/mbedtls/issues/9875>
    if matches!(env::var("CARGO_CFG_TARGET_ARCH"), Ok(arch) if arch == "arm") {
        cmake.cflag("-fomit-frame-pointer");
    }

    // Disable warnings as errors.
    //
    // On macOS builds use `-mmacosx-version-min` and `--target` options that sometimes cause a
    // warning that would prevent the build.
    //
    // Upgrading to a new compiler version might also cause temporary issues that first need to be
    // fixed upstream.
    cmake.define("MBEDTLS_FATAL_WARNINGS", "OFF");

    let dst = cmake.build();

    // The set of MbedTLS libraries that must be linked to work with `open62541` has been taken from
    // <https://github.com/open62541/open62541/blob/master/tools/cmake/FindMbedTLS.cmake>.
    let libs = vec!["mbedtls", "mbedx509", "mbedcrypto"];

    EncryptionDst::MbedTls { dst, libs }
}

fn prepare_openssl() -> EncryptionDst {
    // For macOS, we require the precise link path because we expect OpenSSL to be provided by using
    // Homebrew.
    let search = matches!(env::var("CARGO_CFG_TARGET_OS"), Ok(os) if os == "macos")
        .then_some("/opt/homebrew/opt/openssl/lib");

    let libs = vec!["ssl", "crypto"];

    EncryptionDst::OpenSsl { search, libs }
}

fn build_open62541(
    src: PathBuf,
    encryption: Option<&EncryptionDst>,
    sanitizer_flags: &[&str],
) -> PathBuf {
    // Build bundled copy of `open62541` with CMake.
    let mut cmake = cmake::Config::new(src);
    cmake
        // Use explicit paths here to avoid generating files where we do not expect them below.
        .define("CMAKE_INSTALL_INCLUDEDIR", CMAKE_INCLUDE)
        // Some systems (Fedora) default to `lib64/` instead of `lib/` for 64-bit libraries.
        .define("CMAKE_INSTALL_LIBDIR", CMAKE_LIB)
        // Explicitly set C11 standard to force Windows variants of `vsnprintf()` to conform to this
        // standard. This also matches the expected (or supported) C standard of `open62541` itself.
        .define("C_STANDARD", "11")
        // Override default value `ON` of `UA_ENABLE_DEBUG_SANITIZER`.
        // When the build type is Debug (which is what Cargo uses for test/debug builds) on UNIX with Clang,
        // it automatically appends -fsanitize=address,undefined -fno-omit-frame-pointer to all C compiler flags.
        // This causes libopen62541.a to be compiled with ASAN+UBSAN instrumentation. The Rust toolchain then
        // fails to link the test binary because the Apple Clang sanitizer runtime (libclang_rt.asan_osx_dynamic.dylib etc.)
        // is not linked.
        .define("UA_ENABLE_DEBUG_SANITIZER", "OFF")
        // Python defaults to creating bytecode in `__pycache__` directories. During build, this may
        // happen when the tool `nodeset_compiler` is called. When we package a crate, builds should
        // never modify files outside of `OUT_DIR`, so we disable the cache to prevent this.
        .env("PYTHONDONTWRITEBYTECODE", "1");

    // Unlike `UA_ENABLE_DEBUG_SANITIZER` above, this adds only the sanitizers that are enabled in
    // the Rust build (and whose runtime is thus linked).
    for flag in sanitizer_flags {
        cmake.cflag(flag).cxxflag(flag);
    }

    if matches!(env::var("CARGO_CFG_TARGET_ENV"), Ok(env) if env == "musl") {
        let arch = env::var("CARGO_CFG_TARGET_ARCH").expect("should have CARGO_CFG_TARGET_ARCH");
        // We require includes from the Linux headers which are not provided automatically when musl
        // is targeted (see https://github.com/open62541/open62541/issues/6360).
        // TODO: Remove this when `open62541` enables us to build without including Linux headers.
        cmake
            .cflag("-idirafter/usr/include")
            .cflag(format!("-idirafter/usr/include/{arch}-linux-gnu"));

        // Provide a shim for `<bits/stdio_lim.h>` which is a glibc-specific header that is not
        // available in musl libc. `open62541` includes it directly in `eventloop_posix.h`. The
        // standard constants it would define are already provided by standard headers (`<stdio.h>`
        // and `<limits.h>`) that are included before this file in the same translation unit.
        let out = PathBuf::from(env::var("OUT_DIR").expect("should have OUT_DIR"));
        let shim_bits_dir = out.join("include-shim").join("bits");
        fs::create_dir_all(&shim_bits_dir)
            .expect("should create shim include directory for musl compatibility");
        fs::write(
            shim_bits_dir.join("stdio_lim.h"),
            "/* Shim for musl libc compatibility.\n\
             * The glibc-specific <bits/stdio_lim.h> is not available in musl libc.\n\
             * The constants it defines are already provided by the standard headers\n\
             * (<stdio.h> and <limits.h>) included earlier in the same translation unit.\n\
             */\n",
        )
        .expect("should write bits/stdio_lim.h shim for musl compatibility");
        cmake.cflag(format!("-idirafter{}", out.join("include-shim").display()));
    }

    if matches!(env::var("TARGET"), Ok(env) if env == "x86_64-unknown-linux-gnu") {
        // Disable LTO for x86_64-unknown-linux-gnu.
        //
        // Rust projects may use different linkers on x86_64-unknown-linux-gnu.
        // Either BFD or LLD. The latter is the default linker since Rust 1.90.
        // Unfortunately both linkers use incompatible bitcode formats.
        //
        // See also: <https://github.com/HMIProject/open62541/issues/288#issuecomment-3390812041>
        cmake.define("CMAKE_INTERPROCEDURAL_OPTIMIZATION", "OFF");
    }

    // When enabled, we build `open62541` with encryption support. This changes the library and also
    // changes the resulting `bindings.rs`.
    let encryption = match encryption {
        None => "OFF",
        Some(EncryptionDst::MbedTls { dst, .. }) => {
            // Skip auto-detection and use explicit folders from `mbedtls` build.
            cmake
                .define("MBEDTLS_FOLDER_INCLUDE", dst.join(CMAKE_INCLUDE))
                .define("MBEDTLS_FOLDER_LIBRARY", dst.join(CMAKE_LIB))
                .define("MBEDCRYPTO_INCLUDE_DIRS", dst.join(CMAKE_INCLUDE))
                .define("MBEDCRYPTO_LIBRARY", dst.join(CMAKE_LIB))
                .define("MBEDTLS_INCLUDE_DIRS", dst.join(CMAKE_INCLUDE))
                .define("MBEDTLS_LIBRARY", dst.join(CMAKE_LIB))
                .define("MBEDX509_INCLUDE_DIRS", dst.join(CMAKE_INCLUDE))
                .define("MBEDX509_LIBRARY", dst.join(CMAKE_LIB));
            "MBEDTLS"
        }
        Some(EncryptionDst::OpenSsl { .. }) => "OPENSSL",
    };

    cmake.define("UA_ENABLE_ENCRYPTION", encryption);

    cmake.build()
}

#[derive(Debug)]
struct CustomCallbacks {
    /// Destination of CMake build of `open62541`.
    dst: PathBuf,
}

impl CustomCallbacks {
    /// Checks if `filename` is inside CMake destination.
    ///
    /// This may be used to ensure that we do not run a rebuild when files generated by CMake change
    /// (it is not necessary to include those files because we already watch the CMake _sources_ and
    /// trigger a rebuild when they change).
    fn inside_dst(&self, filename: &str) -> bool {
        Path::new(filename).starts_with(&self.dst)
    }
}

// Include `cargo:rerun-if` instructions just like `bindgen::CargoCallbacks` does. In addition, make
// necessary adjustments to the names of items for the final bindings.
impl bindgen::callbacks::ParseCallbacks for CustomCallbacks {
    fn header_file(&self, filename: &str) {
        // Make sure to rerun build when dependency outside of `dst/` changes.
        if !self.inside_dst(filename) {
            println!("cargo:rerun-if-changed={filename}");
        }
    }

    fn include_file(&self, filename: &str) {
        // Make sure to rerun build when dependency outside of `dst/` changes.
        if !self.inside_dst(filename) {
            println!("cargo:rerun-if-changed={filename}");
        }
    }

    fn read_env_var(&self, key: &str) {
        // Make sure to rerun build when environment variable changes.
        println!("cargo:rerun-if-env-changed={key}");
    }

    fn item_name(&self, original_item_name: bindgen::callbacks::ItemInfo<'_>) -> Option<String> {
        // Rename our wrapped custom exports to their intended names.
        original_item_name
            .name
            .strip_prefix("RS_")
            .map(str::to_owned)
    }
}
