// SPDX-License-Identifier: Apache-2.0
// Test-only: declarations of the CoreFoundation names that
// providers/macos/open_directory.cc uses, so that the macOS-only file is
// compiled (never linked or run) on Linux and a change that would not
// compile on a Mac fails here. No behaviour: declarations only.
//
// Signatures as Apple's CoreFoundation headers give them (CFBase.h,
// CFString.h, CFError.h of the macOS 14 SDK, the same in the open-source
// CoreFoundation of apple/swift-corelibs-foundation), LP64:
//   typedef signed long CFIndex;  typedef const void *CFTypeRef;
//   typedef const struct __CFAllocator *CFAllocatorRef;
//   typedef const struct __CFString *CFStringRef;
//   typedef struct __CFError *CFErrorRef;
//   typedef UInt32 CFStringEncoding;  kCFStringEncodingUTF8 = 0x08000100
//   Boolean and UInt8 are unsigned char, UInt32 unsigned int (MacTypes.h).
// Kept exact on purpose: a looser declaration here (a wider integer, a
// missing const) would let through code that the real headers reject.
#pragma once

extern "C" {

typedef unsigned char Boolean;
typedef unsigned char UInt8;
typedef unsigned int UInt32;

typedef signed long CFIndex;
typedef const void* CFTypeRef;
typedef const struct __CFAllocator* CFAllocatorRef;
typedef const struct __CFString* CFStringRef;
typedef struct __CFError* CFErrorRef;
typedef const struct __CFArray* CFArrayRef;
typedef const struct __CFDictionary* CFDictionaryRef;

typedef UInt32 CFStringEncoding;
enum CFStringBuiltInEncodings : CFStringEncoding { kCFStringEncodingUTF8 = 0x08000100 };

extern const CFAllocatorRef kCFAllocatorDefault;

void CFRelease(CFTypeRef cf);

CFIndex CFStringGetLength(CFStringRef theString);
CFIndex CFStringGetMaximumSizeForEncoding(CFIndex length, CFStringEncoding encoding);
Boolean CFStringGetCString(CFStringRef theString, char* buffer, CFIndex bufferSize,
                           CFStringEncoding encoding);
CFStringRef CFStringCreateWithBytes(CFAllocatorRef alloc, const UInt8* bytes, CFIndex numBytes,
                                    CFStringEncoding encoding, Boolean isExternalRepresentation);

CFStringRef CFErrorCopyDescription(CFErrorRef err);
CFIndex CFErrorGetCode(CFErrorRef err);

}  // extern "C"
