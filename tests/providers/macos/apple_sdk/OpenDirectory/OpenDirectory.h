// SPDX-License-Identifier: Apache-2.0
// Test-only: declarations of the CFOpenDirectory names that
// providers/macos/open_directory.cc uses (see ../CoreFoundation for why).
// No behaviour: declarations only.
//
// Signatures as Apple's CFOpenDirectory headers give them, unchanged from
// macOS 10.6 (their __OSX_AVAILABLE_STARTING(__MAC_10_6)) through the
// macOS 14 SDK: CFOpenDirectory.h (the opaque Ref types), CFODSession.h
// (ODSessionRef kODSessionDefault), CFODNode.h (ODNodeCreateWithNodeType,
// ODNodeCopyRecord), CFODRecord.h (ODRecordVerifyPassword,
// ODRecordChangePassword), CFOpenDirectoryConstants.h (typedef uint32_t
// ODNodeType with kODNodeTypeLocalNodes = 0x2200; typedef CFStringRef
// ODRecordType; kODRecordTypeUsers). The same declarations are in Apple's
// open source (apple-open-source/macos, OpenDirectory and
// DirectoryService/CFOpenDirectory, APSL 2.0).
#pragma once

#include <CoreFoundation/CoreFoundation.h>

#include <cstdint>

extern "C" {

typedef struct __ODNode* ODNodeRef;
typedef struct __ODRecord* ODRecordRef;
typedef struct __ODSession* ODSessionRef;

typedef uint32_t ODNodeType;
enum : ODNodeType { kODNodeTypeLocalNodes = 0x2200 };
typedef CFStringRef ODRecordType;

extern ODSessionRef kODSessionDefault;
extern const ODRecordType kODRecordTypeUsers;

ODNodeRef ODNodeCreateWithNodeType(CFAllocatorRef allocator, ODSessionRef session,
                                   ODNodeType nodeType, CFErrorRef* error);
ODRecordRef ODNodeCopyRecord(ODNodeRef node, ODRecordType recordType, CFStringRef recordName,
                             CFTypeRef attributes, CFErrorRef* error);
bool ODRecordVerifyPassword(ODRecordRef record, CFStringRef password, CFErrorRef* error);
bool ODRecordChangePassword(ODRecordRef record, CFStringRef oldPassword, CFStringRef newPassword,
                            CFErrorRef* error);

}  // extern "C"
