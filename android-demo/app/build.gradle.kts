import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

// Both written by ../build-native.sh and kept out of git:
// the Kotlin bindings generated from the built library (note that
// `gradle clean` deletes them with the rest of app/build) …
val uniffiBindings = layout.buildDirectory.dir("generated/uniffi")
// … and the core itself, one libtruyxuat_mobile.so per ABI.
val jniLibsDir = layout.projectDirectory.dir("src/main/jniLibs")

android {
    namespace = "vn.truyxuat.demo"
    compileSdk = 35

    defaultConfig {
        applicationId = "vn.truyxuat.demo"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    buildTypes {
        release {
            // A demo: not minified. Turning it on needs proguard-rules.pro (JNA).
            isMinifyEnabled = false
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
    }

    sourceSets {
        getByName("main") {
            // The generated package vn.truyxuat.core, beside the app's own sources.
            java.srcDir(uniffiBindings)
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

// Fail early, with the fix, when the native part has not been built.
val checkNative by tasks.registering {
    description = "Checks that ../build-native.sh has produced the core library and its bindings."
    val bindings = uniffiBindings.map { it.file("vn/truyxuat/core/truyxuat_mobile.kt").asFile }
    val libs = jniLibsDir.asFile
    doLast {
        val missing = mutableListOf<String>()
        if (!bindings.get().isFile) missing += bindings.get().path
        if (libs.listFiles().orEmpty().none { File(it, "libtruyxuat_mobile.so").isFile }) {
            missing += "$libs/<abi>/libtruyxuat_mobile.so"
        }
        if (missing.isNotEmpty()) {
            throw GradleException("Missing ${missing.joinToString()}: run ./build-native.sh first (see README.md)")
        }
    }
}
tasks.named("preBuild") { dependsOn(checkNative) }

dependencies {
    val camerax = "1.4.1"
    implementation("androidx.camera:camera-camera2:$camerax")
    implementation("androidx.camera:camera-lifecycle:$camerax")
    implementation("androidx.camera:camera-view:$camerax")

    implementation("androidx.work:work-runtime-ktx:2.10.0")

    // The generated bindings call the core through JNA; the AAR carries
    // JNA's own native part for every Android ABI.
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    // Used by the bindings' Android object cleaner (uniffi-android.toml).
    implementation("androidx.annotation:annotation:1.9.1")

    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.9.0")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")

    implementation("androidx.core:core-ktx:1.15.0")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.material3:material3")
}
