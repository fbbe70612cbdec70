/*
 *  This file used to be non-empty. It's kept only for compatibility
 *  with custom build systems in LTS branches.
 *
 *  Copyright The Mbed TLS Contributors
 *  SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-or-later
 */

typedef int iso_c_forbids_an_empty_translation_unit;
